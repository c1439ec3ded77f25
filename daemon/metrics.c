/* nudged's Prometheus metrics: see metrics.h. */
#include "metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "metrics_db.h"
#include "outbox.h"

#define METRICS_PAIRS 128       /* (channel, outcome), (route, status) */
#define METRICS_NAME 64

/* Lateness buckets, seconds: from "on the dot" to "hours behind". */
static const double metrics_le[] = { 1, 5, 15, 30, 60, 300, 900, 3600,
	14400 };
#define METRICS_NLE (sizeof(metrics_le) / sizeof(metrics_le[0]))

struct metrics_pair {
	char a[METRICS_NAME], b[METRICS_NAME];
	unsigned long long n;
};

static pthread_mutex_t metrics_mu = PTHREAD_MUTEX_INITIALIZER;
static struct metrics_pair metrics_sent[METRICS_PAIRS], metrics_req[METRICS_PAIRS];
static unsigned long long metrics_late[METRICS_NLE + 1];
static double metrics_late_sum;

/* Count one (a, b) in table v; a table full counts under "other". */
static void
metrics_add(struct metrics_pair *v, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < METRICS_PAIRS && v[i].a[0] != '\0'; i++)
		if (strcmp(v[i].a, a) == 0 && strcmp(v[i].b, b) == 0)
			break;
	if (i == METRICS_PAIRS) {
		i = METRICS_PAIRS - 1;
		snprintf(v[i].a, sizeof(v[i].a), "other");
		snprintf(v[i].b, sizeof(v[i].b), "other");
	} else if (v[i].a[0] == '\0') {
		snprintf(v[i].a, sizeof(v[i].a), "%s", a);
		snprintf(v[i].b, sizeof(v[i].b), "%s", b);
	}
	v[i].n++;
}

void
metrics_delivery(const char *channel, const char *outcome, double lateness)
{
	size_t k = 0;

	pthread_mutex_lock(&metrics_mu);
	metrics_add(metrics_sent, channel, outcome);
	if (strcmp(outcome, "delivered") == 0 && lateness >= 0) {
		while (k < METRICS_NLE && lateness > metrics_le[k])
			k++;
		metrics_late[k]++;
		metrics_late_sum += lateness;
	}
	pthread_mutex_unlock(&metrics_mu);
}

void
metrics_http(const char *route, unsigned status)
{
	char code[8];

	snprintf(code, sizeof(code), "%u", status);
	pthread_mutex_lock(&metrics_mu);
	metrics_add(metrics_req, route, code);
	pthread_mutex_unlock(&metrics_mu);
}

/* A label's value as the text format wants it: \, " and newline escaped. */
static void
metrics_label(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
metrics_pairs(FILE *f, const char *name, const char *help,
    const struct metrics_pair *v, const char *la, const char *lb)
{
	size_t i;

	fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (i = 0; i < METRICS_PAIRS && v[i].a[0] != '\0'; i++) {
		fprintf(f, "%s{%s=\"", name, la);
		metrics_label(f, v[i].a);
		fprintf(f, "\",%s=\"", lb);
		metrics_label(f, v[i].b);
		fprintf(f, "\"} %llu\n", v[i].n);
	}
}

static void
metrics_counters(FILE *f)
{
	unsigned long long cum = 0;
	size_t k;

	pthread_mutex_lock(&metrics_mu);
	metrics_pairs(f, "nudge_deliveries_total", "Delivery attempts since "
	    "nudged started, by channel and outcome.", metrics_sent,
	    "channel", "outcome");
	fputs("# HELP nudge_delivery_lateness_seconds From a reminder's "
	    "moment to its delivery.\n"
	    "# TYPE nudge_delivery_lateness_seconds histogram\n", f);
	for (k = 0; k <= METRICS_NLE; k++) {
		cum += metrics_late[k];
		if (k < METRICS_NLE)
			fprintf(f, "nudge_delivery_lateness_seconds_bucket"
			    "{le=\"%g\"} %llu\n", metrics_le[k], cum);
		else
			fprintf(f, "nudge_delivery_lateness_seconds_bucket"
			    "{le=\"+Inf\"} %llu\n", cum);
	}
	fprintf(f, "nudge_delivery_lateness_seconds_sum %.3f\n"
	    "nudge_delivery_lateness_seconds_count %llu\n", metrics_late_sum,
	    cum);
	metrics_pairs(f, "nudge_http_requests_total", "HTTP requests "
	    "answered, by route and status.", metrics_req, "route", "status");
	pthread_mutex_unlock(&metrics_mu);
}

static void
metrics_gauge(FILE *f, const char *name, const char *help, long long v)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help,
	    name, name, v);
}

char *
metrics_render(struct store *st, time_t now, char **errp)
{
	struct outbox_counts c;
	int64_t oldest = 0;
	char *text = NULL;
	size_t size = 0;
	int found = 0;
	FILE *f;

	if (outbox_count(st, 0, &c, errp) != 0 ||
	    metrics_oldest_due(st, now, &oldest, &found, errp) != 0)
		return NULL;
	if ((f = open_memstream(&text, &size)) == NULL)
		return err_set(errp, "out of memory"), NULL;
	metrics_gauge(f, "nudge_queue_depth", "Deliveries queued or being "
	    "sent.", (long long)c.queued);
	metrics_gauge(f, "nudge_deliveries_failing", "Deliveries waiting to "
	    "retry.", (long long)c.failing);
	metrics_gauge(f, "nudge_dead_letters", "Dead deliveries no one has "
	    "dismissed.", (long long)c.dead);
	metrics_gauge(f, "nudge_oldest_due_reminder_age_seconds", "Age of the "
	    "oldest reminder due and not yet delivered (0: none).",
	    found && oldest < now ? (long long)(now - oldest) : 0);
	metrics_counters(f);
	if (fclose(f) != 0) {
		free(text);
		return err_set(errp, "out of memory"), NULL;
	}
	return text;
}
