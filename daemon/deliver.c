#include "deliver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "delivery.h"
#include "err.h"
#include "followup.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "reminder.h"
#include "secret.h"
#include "sender.h"
#include "share.h"
#include "smtp.h"
#include "store.h"
#include "transfer.h"
#include "webhook.h"

/* A transfer taken back from the sender, its outcome read from its
 * handle (which is back in the pool), until that outcome is committed. */
struct deliver_ended {
	struct transfer *t;             /* what went where; no easy handle */
	struct delivery_result res;     /* .error points into msg */
	char msg[CURL_ERROR_SIZE + 64];
	long ms;                        /* curl's own total time */
	int said;                       /* its log line is written */
};

struct deliver {
	struct sender *sender;          /* runs the transfers */
	struct secrets *secrets;        /* read once per configuration */
	int inflight;                   /* submitted, outcome not yet kept */
	/* Outcomes not yet committed: kept until a transaction that
	 * records them commits, so a round the database refuses loses
	 * none (their rows would stay `sending` until the next start). */
	struct deliver_ended ended[DELIVER_MAX_OUTSTANDING];
	size_t nended;
	int refused;                    /* rounds in a row that kept them */
	struct transfer_pool pool;      /* easy handles to reuse */
	struct share share;             /* what each channel has out */
};

/* Rounds (about a second apart, or a busy timeout) that may refuse the
 * kept outcomes before they are let go: one that can never be written
 * must not hold every slot for ever. */
#define DELIVER_KEEP_ROUNDS 60

_Static_assert(TRANSFER_POOL_SIZE >= DELIVER_MAX_OUTSTANDING,
    "a handle for every transfer outstanding");

struct deliver *
deliver_new(long host_connections, char **errp)
{
	struct deliver *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->secrets = secrets_new()) == NULL) {
		free(d);
		err_set(errp, "out of memory");
		return NULL;
	}
	if ((d->sender = sender_start(DELIVER_MAX_INFLIGHT,
	    host_connections, errp)) == NULL) {
		secrets_free(d->secrets);
		free(d);
		return NULL;
	}
	d->share.max = DELIVER_MAX_OUTSTANDING;
	return d;
}

void
deliver_free(struct deliver *d)
{
	struct transfer **left = NULL;
	size_t n = 0, i;

	if (d == NULL)
		return;
	sender_stop(d->sender, &left, &n);
	for (i = 0; i < n; i++)
		transfer_free(left[i]);
	free(left);
	/* Outcomes never committed: their rows stay `sending` and go out
	 * again, with the same ids, at the next start. */
	for (i = 0; i < d->nended; i++)
		transfer_free(d->ended[i].t);
	transfer_pool_clear(&d->pool);
	share_clear(&d->share);
	secrets_free(d->secrets);
	webhook_forget();
	free(d);
}

int
deliver_fd(const struct deliver *d)
{
	return sender_fd(d->sender);
}

void
deliver_forget_secrets(struct deliver *d)
{
	secrets_forget(d->secrets);
	webhook_forget();
	transfer_pool_forget(&d->pool);
}

int
deliver_inflight(const struct deliver *d)
{
	return d->inflight;
}

int
deliver_free_slots(const struct deliver *d)
{
	return DELIVER_MAX_OUTSTANDING - d->inflight;
}

/* How long the attempt took on the network, as curl measured it (the
 * outcome is recorded later, after whatever the loop was doing). */
static long
deliver_took_ms(struct transfer *t)
{
	curl_off_t us = 0;

	/* A kept handle still holds its last request's times. */
	if (t->never_started)
		return 0;
	if (curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &us) !=
	    CURLE_OK)
		return 0;
	return (long)(us / 1000);
}

/* Free a transfer no longer on the multi handle; keep its easy handle. */
static void
deliver_release(struct deliver *d, struct transfer *t)
{
	transfer_pool_put(&d->pool, t);
}

/* Free a transfer that was out (counted in its channel's share). */
static void
deliver_let_go(struct deliver *d, struct transfer *t)
{
	share_add(&d->share, t->channel, -1);
	deliver_release(d, t);
}

char *
deliver_full_channels(const struct deliver *d)
{
	return share_full_json(&d->share);
}

/* Stopping: what never reached the network comes back now; its rows
 * stay `sending` for the next start. */
void
deliver_hold(struct deliver *d)
{
	struct transfer **left = NULL;
	size_t n = 0, i;

	sender_hold(d->sender, &left, &n);
	for (i = 0; i < n; i++)
		deliver_let_go(d, left[i]);
	free(left);
	d->inflight -= (int)n;
}

/* The log line of one attempt's outcome: retried after `wait` seconds,
 * or dead. */
static void
deliver_say(const struct config *cfg, const struct outbox_item *it,
    const struct delivery_result *res, long ms, long wait, int dead)
{
	int attempt = it->attempts + 1;

	/* Said once per outcome: /metrics counts it here. */
	metrics_delivery(it->channel, res->error == NULL ? "delivered" :
	    dead ? "dead" : "retry", it->followup.remind_at != 0 ?
	    difftime(time(NULL), (time_t)it->followup.remind_at) : -1);
	if (res->error == NULL && res->code != 0)
		log_info("delivered follow-up %lld via %s: attempt %d, "
		    "status %ld, %ld ms", (long long)it->followup_id,
		    it->channel, attempt, res->code, ms);
	else if (res->error == NULL)
		log_info("delivered follow-up %lld via %s: attempt %d, "
		    "%ld ms", (long long)it->followup_id, it->channel,
		    attempt, ms);
	else if (!dead)
		log_warnx("follow-up %lld via %s failed: attempt %d of %d, "
		    "%ld ms, retrying in %lds: %s", (long long)it->followup_id,
		    it->channel, attempt, cfg->delivery.attempts, ms, wait,
		    res->error);
	else
		log_warnx("follow-up %lld via %s is DEAD after attempt %d, "
		    "%ld ms: %s", (long long)it->followup_id, it->channel,
		    attempt, ms, res->error);
}

/* Write the outcome of one attempt (caller holds the transaction), and
 * say it in the log unless it was said before (a round the database
 * refused); a success goes into *batch when there is one (the caller
 * flushes it). */
static int
deliver_record(struct store *st, const struct config *cfg,
    const struct outbox_item *it, const struct delivery_result *res,
    long ms, time_t now, struct delivery_batch *batch, int say, char **errp)
{
	struct delivery_fate fate;

	delivery_decide(cfg, it, res, &fate);
	if (say)
		deliver_say(cfg, it, res, ms, fate.wait, fate.dead);
	return delivery_record(st, cfg, it, res, &fate, now, batch, errp);
}

/* HTTP: 2xx delivered; 408, 429, 5xx and network errors retry (honouring
 * Retry-After); any other status, 410 included, is permanent. */
static void
deliver_classify_http(struct transfer *t, CURLcode cc, char *msg, size_t len,
    struct delivery_result *res)
{
	curl_off_t ra = 0;

	memset(res, 0, sizeof(*res));
	if (cc != CURLE_OK) {
		snprintf(msg, len, "%s", t->errbuf[0] != '\0' ? t->errbuf :
		    curl_easy_strerror(cc));
		res->error = msg;
		return;
	}
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &res->code);
	if (res->code >= 200 && res->code < 300)
		return;
	snprintf(msg, len, "HTTP %ld", res->code);
	res->error = msg;
	if (res->code == 408 || res->code == 429 || res->code >= 500) {
		if (curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &ra) ==
		    CURLE_OK && ra > 0)
			res->retry_after = (long)ra;
		return;
	}
	res->permanent = 1;
}

/* SMTP: curl reports one error code for every refusal, so the reply code
 * decides: 4xx retries, 5xx is permanent; no reply at all (connection
 * trouble) retries.  The server's words (smtp.c) say why. */
static void
deliver_classify_smtp(struct transfer *t, CURLcode cc, char *msg, size_t len,
    struct delivery_result *res)
{
	memset(res, 0, sizeof(*res));
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &res->code);
	if (cc == CURLE_OK)
		return;
	if (res->code >= 400)
		snprintf(msg, len, "SMTP %ld: %s", res->code,
		    t->reply[0] != '\0' ? t->reply : t->errbuf[0] != '\0' ?
		    t->errbuf : curl_easy_strerror(cc));
	else
		snprintf(msg, len, "%s", t->errbuf[0] != '\0' ? t->errbuf :
		    curl_easy_strerror(cc));
	res->error = msg;
	res->permanent = res->code >= 500 && res->code < 600;
}

/* The reminder of a claimed row, from the follow-up read with it. */
static int
deliver_reminder(struct store *st, const struct config *cfg,
    struct outbox_item *it, struct reminder *r, char **errp)
{
	if (it->followup.id == 0)
		return err_set(errp, "no follow-up with id %lld",
		    (long long)it->followup_id);
	if (reminder_take(st, cfg, &it->followup, r, errp) != 0)
		return -1;
	r->created_at = (time_t)it->created_at;    /* the body's timestamp */
	return 0;
}

/* Build the transfer for a webhook or email row; log rows never get
 * here. */
static int
deliver_prepare(struct deliver *d, struct store *st, const struct config *cfg,
    const struct config_channel *ch, struct outbox_item *it,
    time_t now, struct transfer **out, char **errp)
{
	struct transfer *t;
	struct reminder r;
	const char *path, *secret = NULL;
	long timeout_ms = (long)cfg->delivery.timeout.seconds * 1000;
	int64_t remind_at;
	int rc;

	*out = NULL;
	path = ch->type == CONFIG_CHANNEL_EMAIL ? ch->password_file :
	    ch->secret_file;
	if (path != NULL && secrets_get(d->secrets, path, &secret, errp) != 0)
		return -1;
	/* Before the reminder takes the follow-up. */
	remind_at = it->followup.remind_at;
	if (deliver_reminder(st, cfg, it, &r, errp) != 0)
		return -1;
	t = ch->type == CONFIG_CHANNEL_EMAIL ?
	    transfer_pool_take(&d->pool, TRANSFER_EMAIL, NULL) :
	    transfer_pool_take(&d->pool, TRANSFER_WEBHOOK, ch);
	if (t == NULL || (t->channel = strdup(it->channel)) == NULL ||
	    (t->delivery_id = strdup(it->delivery_id)) == NULL) {
		deliver_release(d, t);
		reminder_clear(&r);
		return err_set(errp, "out of memory");
	}
	t->outbox_id = it->id;
	t->followup_id = it->followup_id;
	t->remind_at = remind_at;
	t->attempts = it->attempts;
	rc = ch->type == CONFIG_CHANNEL_EMAIL ?
	    smtp_prepare(t, ch, &r, secret, now, timeout_ms, errp) :
	    webhook_prepare(t, ch, &r, secret, now, timeout_ms, errp);
	reminder_clear(&r);
	if (rc != 0) {
		deliver_release(d, t);
		return -1;
	}
	if (t->kind == TRANSFER_WEBHOOK)
		t->setup = ch;
	*out = t;
	return 0;
}

/* The log channel: the reminder is a line in the daemon's log. */
static int
deliver_log(struct store *st, const struct config *cfg,
    struct outbox_item *it, char **errp)
{
	struct reminder r;
	char *line;

	if (deliver_reminder(st, cfg, it, &r, errp) != 0)
		return -1;
	line = reminder_line(&r);
	log_info("REMINDER for %s: %s (follow-up %lld, delivery %s)",
	    r.followup.owner, line != NULL ? line : r.followup.text,
	    (long long)r.followup.id, it->delivery_id);
	free(line);
	reminder_clear(&r);
	return 0;
}

/*
 * One claimed row, inside the caller's transaction: build its transfer
 * (*out), or, when there is nothing to send over the network
 * (the log channel, a channel gone from the configuration, a reminder that
 * cannot be built), record the outcome at once.  -1 only when the database
 * fails.
 */
static int
deliver_take(struct deliver *d, struct store *st, const struct config *cfg,
    struct outbox_item *it, time_t now, struct transfer **out,
    char **errp)
{
	const struct config_channel *ch;
	struct delivery_result res;
	char msg[512], *why = NULL;
	int64_t remind_at = it->followup.remind_at;
	int rc;

	*out = NULL;
	memset(&res, 0, sizeof(res));
	ch = config_channel(cfg, it->channel);
	if (ch == NULL) {
		snprintf(msg, sizeof(msg), "channel '%s' is no longer in the "
		    "configuration", it->channel);
		res.error = msg;
		res.permanent = 1;
	} else if (ch->type == CONFIG_CHANNEL_LOG) {
		if (deliver_log(st, cfg, it, &why) != 0)
			res.error = why;
	} else if (deliver_prepare(d, st, cfg, ch, it, now, out, &why) != 0) {
		/* A missing secret file or owner address will not fix itself
		 * between retries, but ops may fix it: retry with backoff. */
		res.error = why;
	} else {
		return 0;
	}
	it->followup.remind_at = remind_at;     /* taken with the reminder */
	rc = deliver_record(st, cfg, it, &res, 0, now, NULL, 1, errp);
	free(why);
	return rc;
}

/*
 * Take back the transfers that ended, beside those whose outcomes a
 * refused round left unrecorded, and read each outcome off its handle,
 * which goes back to the pool at once: the round's new transfers reuse
 * it while the outcome waits for its commit.  No database yet.  0: none
 * waits to be recorded.
 */
static size_t
deliver_collect_ended(struct deliver *d)
{
	struct transfer *got[DELIVER_MAX_OUTSTANDING];
	struct deliver_ended *e;
	size_t n, i;

	n = sender_take_ended(d->sender, got,
	    DELIVER_MAX_OUTSTANDING - d->nended);
	for (i = 0; i < n; i++) {
		e = &d->ended[d->nended++];
		e->t = got[i];
		e->said = 0;
		if (e->t->kind == TRANSFER_EMAIL)
			deliver_classify_smtp(e->t, e->t->result, e->msg,
			    sizeof(e->msg), &e->res);
		else
			deliver_classify_http(e->t, e->t->result, e->msg,
			    sizeof(e->msg), &e->res);
		e->ms = deliver_took_ms(e->t);
		transfer_pool_put_easy(&d->pool, e->t);
	}
	return d->nended;
}

void
deliver_collect(struct deliver *d)
{
	deliver_collect_ended(d);
}

/* Their outcomes are committed: let the transfers go, and their slots. */
static void
deliver_recorded(struct deliver *d)
{
	size_t i;

	for (i = 0; i < d->nended; i++)
		deliver_let_go(d, d->ended[i].t);
	d->inflight -= (int)d->nended;
	d->nended = 0;
	d->refused = 0;
}

/* The round could not write the kept outcomes: keep them for the next,
 * up to DELIVER_KEEP_ROUNDS, then let them go as a stop would. */
static void
deliver_refused(struct deliver *d)
{
	if (d->nended == 0 || ++d->refused < DELIVER_KEEP_ROUNDS)
		return;
	log_warnx("%zu delivery outcomes could not be written in %d "
	    "tries: their rows stay sending and go out again, with the same "
	    "ids, at the next start", d->nended, d->refused);
	deliver_recorded(d);
}

/* Record the outcomes of d->ended[], inside the caller's transaction;
 * they stay until it commits (deliver_recorded()). */
static int
deliver_record_ended(struct deliver *d, struct store *st,
    const struct config *cfg, char **errp)
{
	struct delivery_batch batch;
	struct deliver_ended *e;
	struct outbox_item it;
	size_t i;
	int rc;
	time_t now = time(NULL);

	batch.n = 0;
	for (i = 0; i < d->nended; i++) {
		e = &d->ended[i];
		memset(&it, 0, sizeof(it));
		it.id = e->t->outbox_id;
		it.followup_id = e->t->followup_id;
		it.followup.remind_at = e->t->remind_at;
		it.channel = e->t->channel;
		it.attempts = e->t->attempts;
		it.delivery_id = e->t->delivery_id;
		rc = deliver_record(st, cfg, &it, &e->res, e->ms, now, &batch,
		    !e->said, errp);
		e->said = 1;
		if (rc != 0)
			return -1;
	}
	if (batch.n > 0)
		return delivery_batch_flush(st, &batch, now, errp);
	return 0;
}

/* A round's state for the transport hooks (delivery_transport). */
struct deliver_round {
	struct deliver *d;
	const struct config *cfg;
	struct transfer *ready[DELIVER_MAX_OUTSTANDING];   /* taken */
	size_t nready;
};

static int
deliver_hook_record(void *arg, struct store *st, size_t *n, char **errp)
{
	struct deliver_round *r = arg;

	*n = r->d->nended;
	return deliver_record_ended(r->d, st, r->cfg, errp);
}

/* Outstanding transfers may fill every slot; the ended ones, recorded in
 * this round, give theirs back. */
static int
deliver_hook_room(void *arg)
{
	const struct deliver *d = ((struct deliver_round *)arg)->d;

	return DELIVER_MAX_OUTSTANDING - d->inflight + (int)d->nended;
}

/* A channel may have its share out; a row with nothing to send (the log
 * channel, one gone from the configuration) takes none. */
static int
deliver_hook_channel_room(void *arg, const char *channel)
{
	struct deliver_round *r = arg;
	const struct config_channel *ch = config_channel(r->cfg, channel);

	size_t i;
	int room;

	if (ch == NULL || ch->type == CONFIG_CHANNEL_LOG)
		return DELIVER_MAX_OUTSTANDING;
	/* As deliver_hook_room(): the ended ones, recorded in this round,
	 * give theirs back (the lane counts them until it commits). */
	room = share_room(&r->d->share, channel);
	for (i = 0; i < r->d->nended; i++)
		room += strcmp(r->d->ended[i].t->channel, channel) == 0;
	return room;
}

static int
deliver_hook_take(void *arg, struct store *st, struct outbox_item *it,
    time_t now, char **errp)
{
	struct deliver_round *r = arg;

	if (deliver_take(r->d, st, r->cfg, it, now, &r->ready[r->nready],
	    errp) != 0)
		return -1;
	if (r->ready[r->nready] != NULL)
		share_add(&r->d->share, r->ready[r->nready++]->channel, 1);
	return 0;
}

static void
deliver_hook_committed(void *arg)
{
	struct deliver_round *r = arg;

	deliver_recorded(r->d);
	sender_submit(r->d->sender, r->ready, r->nready);
	r->d->inflight += (int)r->nready;
	r->nready = 0;
}

static void
deliver_hook_undone(void *arg, int outcomes_kept)
{
	struct deliver_round *r = arg;
	size_t i;

	if (outcomes_kept)
		deliver_recorded(r->d);
	else
		deliver_refused(r->d);
	for (i = 0; i < r->nready; i++)
		deliver_let_go(r->d, r->ready[i]);
	r->nready = 0;
}

static int
deliver_round(struct deliver *d, struct store *st, const struct config *cfg,
    time_t now, int claim, int *started, char **errp)
{
	struct deliver_round r;
	const struct delivery_transport t = { &r, deliver_hook_record,
		deliver_hook_room, deliver_hook_channel_room,
		deliver_hook_take, deliver_hook_committed,
		deliver_hook_undone };

	/* The shares follow the configuration (a reload may add a
	 * channel); lanes with nothing out go between rounds. */
	share_reap(&d->share);
	d->share.max = share_of(cfg, DELIVER_MAX_OUTSTANDING);
	sender_set_share(d->sender, share_of(cfg, DELIVER_MAX_INFLIGHT));
	r.d = d;
	r.cfg = cfg;
	r.nready = 0;
	return delivery_round(st, now, claim, &t, started, errp);
}

int
deliver_start(struct deliver *d, struct store *st, const struct config *cfg,
    time_t now, int *started, char **errp)
{
	*started = 0;
	/* Nothing ended and no slot free: no transaction (it would take
	 * the write lock from the CLI for nothing). */
	if (deliver_collect_ended(d) == 0 && deliver_free_slots(d) <= 0)
		return 0;
	return deliver_round(d, st, cfg, now, 1, started, errp);
}

int
deliver_reap(struct deliver *d, struct store *st, const struct config *cfg,
    char **errp)
{
	int none;

	if (deliver_collect_ended(d) == 0)
		return 0;
	return deliver_round(d, st, cfg, time(NULL), 0, &none, errp);
}
