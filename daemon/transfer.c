#include "transfer.h"

#include <stdlib.h>

/* A receiver's answer is not ours to print: curl would fwrite() it to
 * stdout, that is into the journal, from the sender thread. */
static size_t
transfer_discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

struct transfer *
transfer_new(enum transfer_kind kind, CURL *easy)
{
	struct transfer *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->kind = kind;
	if (easy != NULL)
		curl_easy_reset(easy);
	else if ((easy = curl_easy_init()) == NULL) {
		free(t);
		return NULL;
	}
	t->easy = easy;
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, transfer_discard);
	return t;
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
