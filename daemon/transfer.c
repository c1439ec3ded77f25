#include "transfer.h"

#include <stdlib.h>

#include "config.h"

/* A receiver's answer is not ours to print: curl would fwrite() it to
 * stdout, that is into the journal, from the sender thread. */
static size_t
transfer_discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

/* A transfer on easy (NULL: a new handle), reset first unless it is
 * `configured` for the transfer's channel already. */
static struct transfer *
transfer_on(enum transfer_kind kind, CURL *easy, int configured)
{
	struct transfer *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if (easy != NULL && !configured)
		curl_easy_reset(easy);
	else if (easy == NULL && (easy = curl_easy_init()) == NULL) {
		free(t);
		return NULL;
	}
	t->kind = kind;
	t->easy = easy;
	t->configured = configured;
	if (!configured) {
		curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION,
		    transfer_discard);
	}
	/* These point into the transfer: set for every one. */
	curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->errbuf);
	return t;
}

void
transfer_tls(struct transfer *t, const struct config_channel *ch)
{
	/* Instead of the system's CAs: the directory libcurl was built
	 * with (Debian: /etc/ssl/certs) would be read too. */
	if (ch->ca_file != NULL) {
		curl_easy_setopt(t->easy, CURLOPT_CAINFO, ch->ca_file);
		curl_easy_setopt(t->easy, CURLOPT_CAPATH, NULL);
	}
	if (!ch->tls_verify) {
		curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

void
transfer_free(struct transfer *t)
{
	if (t == NULL)
		return;
	curl_easy_cleanup(transfer_done(t));
}

CURL *
transfer_done(struct transfer *t)
{
	CURL *easy = t->easy;

	curl_slist_free_all(t->headers);
	curl_slist_free_all(t->rcpt);
	curl_mime_free(t->mime);
	free(t->body);
	free(t->channel);
	free(t->delivery_id);
	free(t);
	return easy;
}

struct transfer *
transfer_pool_take(struct transfer_pool *p, enum transfer_kind kind,
    const void *setup)
{
	struct transfer *t;
	int i = p->n - 1, same;

	/* The most recently kept first: warm in the cache. */
	if (setup != NULL)
		while (i >= 0 && p->idle[i].setup != setup)
			i--;
	if (i < 0)
		i = p->n - 1;
	if (i < 0)
		t = transfer_on(kind, NULL, 0);
	else {
		same = setup != NULL && p->idle[i].setup == setup;
		if ((t = transfer_on(kind, p->idle[i].easy, same)) == NULL)
			return NULL;
		p->idle[i] = p->idle[--p->n];
	}
	if (t != NULL)
		t->generation = p->generation;
	return t;
}

/* Keep easy, set up for `setup` as of `generation`. */
static void
transfer_pool_keep(struct transfer_pool *p, CURL *easy, const void *setup,
    unsigned generation)
{
	if (easy == NULL)
		return;
	if (p->n == TRANSFER_POOL_SIZE) {
		curl_easy_cleanup(easy);
		return;
	}
	p->idle[p->n].easy = easy;
	p->idle[p->n++].setup = generation == p->generation ? setup : NULL;
}

void
transfer_pool_put(struct transfer_pool *p, struct transfer *t)
{
	const void *setup;
	unsigned generation;

	if (t == NULL)
		return;
	setup = t->setup;
	generation = t->generation;
	transfer_pool_keep(p, transfer_done(t), setup, generation);
}

void
transfer_pool_put_easy(struct transfer_pool *p, struct transfer *t)
{
	/* What went out is no longer needed, only to whom. */
	curl_slist_free_all(t->headers);
	curl_slist_free_all(t->rcpt);
	curl_mime_free(t->mime);
	free(t->body);
	t->headers = t->rcpt = NULL;
	t->mime = NULL;
	t->body = NULL;
	transfer_pool_keep(p, t->easy, t->setup, t->generation);
	t->easy = NULL;
}

void
transfer_pool_forget(struct transfer_pool *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		p->idle[i].setup = NULL;
	/* And those in flight, when they come back. */
	p->generation++;
}

void
transfer_pool_clear(struct transfer_pool *p)
{
	while (p->n > 0)
		curl_easy_cleanup(p->idle[--p->n].easy);
}
