/*
 * Email delivery through libcurl's SMTP: the transport of the message
 * mail_message.c writes (its Message-ID built from the stable delivery id
 * so a receiver recognises a duplicate after a lost reply), the server's
 * reply text kept for the delivery's last error, and connections idle
 * longer than the channel's `idle` not used again.
 */
#ifndef NUDGED_SMTP_H
#define NUDGED_SMTP_H

#include "transfer.h"

/* The password is the channel's password_file (curl keeps its own
 * copy). */
transfer_prepare_fn smtp_prepare;

#endif
