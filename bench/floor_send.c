/*
 * floor_send: floor (b) of the benchmarks.  A libcurl multi sender that
 * POSTs COUNT small JSON bodies to URL over keep-alive connections with
 * nudged's concurrency (daemon/loop.c: CURLMOPT_MAX_HOST_CONNECTIONS 16;
 * daemon/deliver.h: DELIVER_MAX_INFLIGHT 64 transfers in flight), and
 * prints what it took.  Nothing else: no database, no signing, no log.
 *
 *   floor_send URL COUNT [BODY_BYTES [CONNECTIONS [INFLIGHT [ID_PREFIX]]]]
 *
 * Each request carries a `webhook-id: <ID_PREFIX>N` header (default
 * prefix "floor-") so the receiver's access log tells them apart.  Prints one line:
 *   sent=N ok=N failed=N seconds=S rate=R cpu=S
 * (cpu: this process's user + system time)
 * and exits 0 when every request got a 2xx answer.
 */
#define _POSIX_C_SOURCE 200809L

#include <curl/curl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../daemon/monotonic.h"

#define FLOOR_MAX_INFLIGHT 1024

struct slot {
	CURL *easy;
	struct curl_slist *headers;
};

static long
arg_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end != '\0' || v < min || v > max) {
		fprintf(stderr, "floor_send: bad %s '%s' (%ld to %ld)\n", what,
		    s, min, max);
		exit(2);
	}
	return v;
}

/* A JSON body of about `bytes` bytes, shaped like a reminder. */
static char *
make_body(long bytes)
{
	static const char head[] = "{\"type\":\"nudge.reminder\",\"text\":\"";
	static const char tail[] = "\"}";
	size_t n = (size_t)bytes, fill;
	char *b;

	if (n < sizeof(head) + sizeof(tail))
		n = sizeof(head) + sizeof(tail);
	if ((b = malloc(n + 1)) == NULL)
		return NULL;
	fill = n - (sizeof(head) - 1) - (sizeof(tail) - 1);
	memcpy(b, head, sizeof(head) - 1);
	memset(b + sizeof(head) - 1, 'x', fill);
	memcpy(b + sizeof(head) - 1 + fill, tail, sizeof(tail));
	return b;
}

/* Point a slot at request number `seq` and hand it to the multi. */
static const char *id_prefix = "floor-";

static int
start(CURLM *multi, struct slot *s, const char *url, const char *body,
    long seq)
{
	char id[128];

	snprintf(id, sizeof(id), "webhook-id: %s%ld", id_prefix, seq);
	curl_slist_free_all(s->headers);
	/* curl_slist_append returns NULL and leaves the list alone when it
	 * runs out of memory. */
	if ((s->headers = curl_slist_append(NULL,
	    "Content-Type: application/json")) == NULL ||
	    curl_slist_append(s->headers, id) == NULL ||
	    curl_slist_append(s->headers, "Expect:") == NULL)
		return -1;
	curl_easy_setopt(s->easy, CURLOPT_URL, url);
	curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->easy, CURLOPT_PRIVATE, (char *)s);
	return curl_multi_add_handle(multi, s->easy) == CURLM_OK ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct slot *slots;
	CURLM *multi;
	CURLMsg *m;
	const char *url;
	char *body;
	long count, bytes = 600, conns = 16, inflight = 64, next = 0, done = 0;
	long ok = 0, failed = 0, code, i;
	struct rusage ru;
	double t0, t1;
	int running, left, numfds;

	if (argc < 3 || argc > 7) {
		fprintf(stderr, "usage: floor_send URL COUNT [BODY_BYTES "
		    "[CONNECTIONS [INFLIGHT [ID_PREFIX]]]]\n");
		return 2;
	}
	url = argv[1];
	count = arg_long(argv[2], 1, 100000000, "COUNT");
	if (argc > 3)
		bytes = arg_long(argv[3], 1, 1 << 20, "BODY_BYTES");
	if (argc > 4)
		conns = arg_long(argv[4], 1, 1024, "CONNECTIONS");
	if (argc > 5)
		inflight = arg_long(argv[5], 1, FLOOR_MAX_INFLIGHT, "INFLIGHT");
	if (argc > 6) {
		if (strlen(argv[6]) > 64) {
			fprintf(stderr, "floor_send: ID_PREFIX too long\n");
			return 2;
		}
		id_prefix = argv[6];
	}
	if (inflight > count)
		inflight = count;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (multi = curl_multi_init()) == NULL ||
	    (body = make_body(bytes)) == NULL ||
	    (slots = calloc((size_t)inflight, sizeof(*slots))) == NULL) {
		fprintf(stderr, "floor_send: cannot initialise\n");
		return 1;
	}
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, conns);

	t0 = monotonic_seconds();
	for (i = 0; i < inflight; i++) {
		if ((slots[i].easy = curl_easy_init()) == NULL ||
		    start(multi, &slots[i], url, body, next++) != 0) {
			fprintf(stderr, "floor_send: cannot start a transfer\n");
			return 1;
		}
	}
	while (done < count) {
		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left)) != NULL) {
			struct slot *s = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&s);
			code = 0;
			curl_easy_getinfo(m->easy_handle,
			    CURLINFO_RESPONSE_CODE, &code);
			if (m->data.result == CURLE_OK && code >= 200 &&
			    code < 300)
				ok++;
			else
				failed++;
			done++;
			curl_multi_remove_handle(multi, s->easy);
			if (next < count &&
			    start(multi, s, url, body, next++) != 0) {
				fprintf(stderr, "floor_send: cannot start a "
				    "transfer\n");
				return 1;
			}
		}
		if (done < count)
			curl_multi_poll(multi, NULL, 0, 1000, &numfds);
	}
	t1 = monotonic_seconds();
	getrusage(RUSAGE_SELF, &ru);

	printf("sent=%ld ok=%ld failed=%ld seconds=%.6f rate=%.1f cpu=%.6f\n",
	    count, ok, failed, t1 - t0, (double)count / (t1 - t0),
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	for (i = 0; i < inflight; i++) {
		curl_easy_cleanup(slots[i].easy);
		curl_slist_free_all(slots[i].headers);
	}
	free(slots);
	free(body);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	return failed == 0 ? 0 : 1;
}
