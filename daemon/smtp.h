/*
 * Email delivery through libcurl's SMTP: the transport of the message
 * mail_message.c writes (its Message-ID built from the stable delivery id
 * so a receiver recognises a duplicate after a lost reply), the server's
 * reply text kept for the delivery's last error, and connections idle
 * longer than the channel's `idle` not used again.
 */
#ifndef NUDGED_SMTP_H
#define NUDGED_SMTP_H

#include <time.h>

struct config_channel;
struct reminder;
struct transfer;

/* password: the content of the channel's password_file, NULL when it has
 * none (curl keeps its own copy). */
int smtp_prepare(struct transfer *t, const struct config_channel *ch,
    const struct reminder *r, const char *password, time_t now,
    long timeout_ms, char **errp);

#endif
