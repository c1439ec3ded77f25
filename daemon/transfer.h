/*
 * One delivery attempt in flight on the curl multi handle: the easy handle
 * and everything it points at, owned here and freed by transfer_free().
 */
#ifndef NUDGED_TRANSFER_H
#define NUDGED_TRANSFER_H

#include <curl/curl.h>
#include <stdint.h>

enum transfer_kind {
	TRANSFER_WEBHOOK,
	TRANSFER_EMAIL,
};

struct transfer {
	enum transfer_kind kind;
	CURL *easy;
	struct curl_slist *headers;     /* HTTP headers / mail headers */
	struct curl_slist *rcpt;        /* SMTP recipients */
	curl_mime *mime;
	char *body;                     /* request body (webhook) */
	char errbuf[CURL_ERROR_SIZE];
	int64_t outbox_id;
	int64_t followup_id;
	char *channel;
	char *delivery_id;
	int attempts;                   /* before this one */
	CURLcode result;                /* how it ended */
	struct transfer *next;          /* the sender's lists */
};

/* A transfer on `easy` (reset here) when not NULL, else on a new handle.
 * Reusing handles spares curl's per-handle buffers an allocation and a
 * free for every delivery. */
struct transfer *transfer_new(enum transfer_kind kind, CURL *easy);
/* Frees the transfer, hands back its easy handle (caller owns it). */
CURL *transfer_done(struct transfer *t);
/* Frees the transfer and its handle. */
void transfer_free(struct transfer *t);

#endif
