/*
 * Webhook delivery: an HTTP POST built on a transfer.  format "json" is the
 * generic payload signed per Standard Webhooks (webhook-id = the stable
 * delivery id, webhook-timestamp, webhook-signature = v1,base64(HMAC-SHA256(
 * key, id.timestamp.body)) with the key from "whsec_<base64>"); "slack" is
 * {"text": ...} as Slack, Mattermost and Rocket.Chat incoming webhooks take.
 */
#ifndef NUDGED_WEBHOOK_H
#define NUDGED_WEBHOOK_H

#include <jansson.h>

#include "transfer.h"

/* The secret is the channel's signing secret (its secret_file). */
transfer_prepare_fn webhook_prepare;

/* Wipe and drop the signing key kept from the last signature, and free
 * the body kept for the next reminder (at a reload, with the secrets,
 * and at exit). */
void webhook_forget(void);

/* v1 signature header value for (secret "whsec_...", id, ts, body);
 * caller frees.  Exposed for the tests. */
int webhook_sign(const char *secret, const char *id, long long ts,
    const char *body, char **header, char **errp);

/* The body as compact JSON text, as json_dumps() writes it (caller frees). */
char *webhook_dump(const json_t *body);
/* Whether a signing key is kept from the last signature (for the tests). */
int webhook_has_key(void);

#endif
