/*
 * Email delivery through libcurl's SMTP: a text/plain UTF-8 message with
 * RFC 5322 headers, quoted-printable body, RFC 2047 subject, and a
 * Message-ID built from the stable delivery id so a receiver recognises a
 * duplicate after a lost reply.
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
