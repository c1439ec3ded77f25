/*
 * One delivery attempt in flight on the curl multi handle: the easy handle
 * and everything it points at, owned here and freed by transfer_free()
 * (or the handle kept for reuse by the pool below).
 */
#ifndef NUDGED_TRANSFER_H
#define NUDGED_TRANSFER_H

#include <curl/curl.h>
#include <stdint.h>
#include <time.h>

struct config_channel;
struct reminder;

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
	char *body;                     /* request body, the mail message */
	size_t body_len, body_sent;     /* email: read by curl so far */
	char errbuf[CURL_ERROR_SIZE];
	/* Email: the server's last refusal without its code, all of its
	 * lines ("5.1.1 User unknown"; smtp.c); reply_open: more lines of
	 * it may come. */
	char reply[CURL_ERROR_SIZE];
	int reply_open;
	int64_t outbox_id;
	int64_t followup_id;
	int64_t remind_at;      /* its reminder's moment: /metrics' lateness */
	char *channel;
	char *delivery_id;
	int attempts;                   /* before this one */
	/* The channel the handle is set up for (webhooks; NULL: none) and
	 * the pool's generation then: see transfer_pool. */
	const void *setup;
	unsigned generation;
	int configured;                 /* set up for it before this one */
	CURLcode result;                /* how it ended */
	int never_started;              /* the multi handle refused it */
	struct transfer *next;          /* the sender's lists */
};

/* A channel type's transfer of reminder r set up on t (webhook.c,
 * smtp.c): secret is the content of the channel's secret file (the
 * webhook's signing secret, the mail server's password), NULL when it
 * has none.  0, or -1 with *errp. */
typedef int transfer_prepare_fn(struct transfer *t,
    const struct config_channel *ch, const struct reminder *r,
    const char *secret, time_t now, long timeout_ms, char **errp);

/* The channel's TLS trust: its ca_file instead of the system's CAs, and
 * verification off only where the channel says tls_verify = false. */
void transfer_tls(struct transfer *t, const struct config_channel *ch);
/* Frees the transfer, hands back its easy handle (caller owns it; NULL
 * when transfer_pool_put_easy() took it already). */
CURL *transfer_done(struct transfer *t);
/* Frees the transfer and its handle. */
void transfer_free(struct transfer *t);

/*
 * Easy handles kept for the next transfers (reuse spares curl's
 * per-handle buffers an allocation and a free each time).  A handle
 * whose last transfer went to a webhook channel keeps that channel's
 * options: the next transfer to the same channel of the same
 * configuration takes it as it is (t->configured) and sets only what
 * belongs to one request, where curl_easy_reset() freed and set again
 * every option, a twentieth of the loop's time per webhook.  Any other
 * is reset first.  After a reload, transfer_pool_forget(): the channels
 * the handles were set up for are gone, and an address may come back
 * as another channel.
 */
#define TRANSFER_POOL_SIZE 128

struct transfer_pool {
	struct {
		CURL *easy;
		const void *setup;      /* channel, NULL: reset first */
	} idle[TRANSFER_POOL_SIZE];
	int n;
	unsigned generation;            /* counts transfer_pool_forget() */
};

/* A transfer for channel `setup` (NULL: none to keep, as for email) on
 * a kept handle when there is one, else on a new one; NULL when out of
 * memory.  The caller sets t->setup once the handle carries the
 * channel's options. */
struct transfer *transfer_pool_take(struct transfer_pool *p,
    enum transfer_kind kind, const void *setup);
/* Frees t and keeps its handle (NULL t: nothing). */
void transfer_pool_put(struct transfer_pool *p, struct transfer *t);
/* Keeps t's handle now (t->easy becomes NULL) and frees what was sent
 * (body, headers, mail); to whom it went (outbox row, follow-up, channel,
 * delivery id) stays for transfer_pool_put() later. */
void transfer_pool_put_easy(struct transfer_pool *p, struct transfer *t);
/* The configuration was reloaded. */
void transfer_pool_forget(struct transfer_pool *p);
/* Cleans up every kept handle. */
void transfer_pool_clear(struct transfer_pool *p);

#endif
