#include "deliver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "followup.h"
#include "log.h"
#include "outbox.h"
#include "reminder.h"
#include "secret.h"
#include "sender.h"
#include "smtp.h"
#include "store.h"
#include "transfer.h"
#include "webhook.h"

/* The outcome of one attempt. */
struct deliver_result {
	const char *error;      /* NULL: delivered */
	int permanent;          /* no retry: dead at once */
	long retry_after;       /* seconds the receiver asked for, 0 none */
	long code;              /* HTTP status / SMTP reply, 0 none */
};

/* A transfer taken back from the sender, its outcome read from its
 * handle (which is back in the pool), until that outcome is committed. */
struct deliver_ended {
	struct transfer *t;             /* what went where; no easy handle */
	struct deliver_result res;      /* .error points into msg */
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

long
deliver_backoff(const struct config *cfg, int attempts)
{
	long base = (long)cfg->delivery.backoff.seconds;
	long cap = (long)cfg->delivery.max_backoff.seconds;
	long wait = base;
	int i;

	for (i = 1; i < attempts && wait < cap; i++)
		wait *= 2;
	if (wait > cap)
		wait = cap;
	if (wait >= 4)
		wait -= random() % (wait / 4);
	return wait > 0 ? wait : 1;
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

/* Stopping: what never reached the network comes back now; its rows
 * stay `sending` for the next start. */
void
deliver_hold(struct deliver *d)
{
	struct transfer **left = NULL;
	size_t n = 0, i;

	sender_hold(d->sender, &left, &n);
	for (i = 0; i < n; i++)
		deliver_release(d, left[i]);
	free(left);
	d->inflight -= (int)n;
}

/*
 * A dead delivery is never silent: with `ops` set, that channel hears of it
 * as a follow-up of its own (rule "ops"), made in the same transaction.  A
 * dead delivery to the ops channel itself only shows in `nudge status`.
 */
static int
deliver_tell_ops(struct store *st, const struct config *cfg,
    const struct outbox_item *it, int attempt, const char *error, time_t now,
    char **errp)
{
	struct followup orig, f;
	char occurrence[128], *text = NULL, *why = NULL;
	int inserted, rc;

	if (cfg->ops == NULL || strcmp(it->channel, cfg->ops) == 0)
		return 0;
	/* A follow-up that cannot be read (gone, with foreign keys off
	 * once) is named by its id: ops hears of it all the same.  Were the
	 * database failing, the insert below would say so. */
	if (followup_get(st, it->followup_id, &orig, &why) != 0) {
		free(why);
		memset(&orig, 0, sizeof(orig));
	}
	if (asprintf(&text, "Delivery %s of follow-up %lld for %s via %s is "
	    "dead after %d attempts: %s. It said: %s", it->delivery_id,
	    (long long)it->followup_id, orig.owner != NULL ? orig.owner :
	    "(unknown)", it->channel, attempt, error, orig.text != NULL ?
	    orig.text : "(it cannot be read)") < 0) {
		followup_clear(&orig);
		return err_set(errp, "out of memory");
	}
	snprintf(occurrence, sizeof(occurrence), "ops:%s", it->delivery_id);
	memset(&f, 0, sizeof(f));
	f.owner = orig.owner != NULL ? orig.owner : "(unknown)";
	f.text = text;
	f.rule = "ops";
	f.occurrence = occurrence;
	f.due_at = f.remind_at = now;
	rc = followup_insert(st, &f, now, &inserted, errp);
	free(text);
	free(f.state);
	followup_clear(&orig);
	return rc;
}

/* Delivered rows gathered for one UPDATE: a statement per row cost more
 * than the row's own B-tree work. */
struct deliver_batch {
	int64_t id[DELIVER_MAX_OUTSTANDING];
	size_t n;
};

static int
deliver_batch_flush(struct store *st, struct deliver_batch *b, time_t now,
    char **errp)
{
	int rc = outbox_mark_delivered(st, b->id, b->n, now, errp);

	b->n = 0;
	return rc;
}

/* The log line of one attempt's outcome: retried after `wait` seconds,
 * or dead. */
static void
deliver_say(const struct config *cfg, const struct outbox_item *it,
    const struct deliver_result *res, long ms, long wait, int dead)
{
	int attempt = it->attempts + 1;

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
    const struct outbox_item *it, const struct deliver_result *res,
    long ms, time_t now, struct deliver_batch *batch, int say, char **errp)
{
	time_t next = 0;
	long wait = 0, cap = (long)cfg->delivery.max_backoff.seconds;
	int attempt = it->attempts + 1, dead = 0;

	if (res->error != NULL && !res->permanent &&
	    attempt < cfg->delivery.attempts) {
		wait = deliver_backoff(cfg, attempt);
		/* Retry-After is honoured up to max_backoff, the longest wait
		 * between tries whoever asks: a receiver saying "a day" (or
		 * "a year") must not park a reminder past its usefulness. */
		if (res->retry_after > wait)
			wait = res->retry_after < cap ? res->retry_after : cap;
		next = now + wait;
	} else if (res->error != NULL)
		dead = 1;
	if (say)
		deliver_say(cfg, it, res, ms, wait, dead);
	if (res->error == NULL) {
		if (batch == NULL)
			return outbox_mark_delivered(st, &it->id, 1, now, errp);
		if (batch->n == DELIVER_MAX_OUTSTANDING &&
		    deliver_batch_flush(st, batch, now, errp) != 0)
			return -1;
		batch->id[batch->n++] = it->id;
		return 0;
	}
	if (dead && deliver_tell_ops(st, cfg, it, attempt, res->error, now,
	    errp) != 0)
		return -1;
	return outbox_mark_failed(st, it->id, res->error, next, now, errp);
}

/* HTTP: 2xx delivered; 408, 429, 5xx and network errors retry (honouring
 * Retry-After); any other status, 410 included, is permanent. */
static void
deliver_classify_http(struct transfer *t, CURLcode cc, char *msg, size_t len,
    struct deliver_result *res)
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
 * trouble) retries. */
static void
deliver_classify_smtp(struct transfer *t, CURLcode cc, char *msg, size_t len,
    struct deliver_result *res)
{
	memset(res, 0, sizeof(*res));
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &res->code);
	if (cc == CURLE_OK)
		return;
	if (res->code >= 400)
		snprintf(msg, len, "SMTP %ld: %s", res->code,
		    t->errbuf[0] != '\0' ? t->errbuf : curl_easy_strerror(cc));
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
	return reminder_take(st, cfg, &it->followup, r, errp);
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
	int rc;

	*out = NULL;
	path = ch->type == CONFIG_CHANNEL_EMAIL ? ch->password_file :
	    ch->secret_file;
	if (path != NULL && secrets_get(d->secrets, path, &secret, errp) != 0)
		return -1;
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
	struct deliver_result res;
	char msg[512], *why = NULL;
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

/* Their outcomes are committed: let the transfers go, and their slots. */
static void
deliver_recorded(struct deliver *d)
{
	size_t i;

	for (i = 0; i < d->nended; i++)
		deliver_release(d, d->ended[i].t);
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
	struct deliver_batch batch;
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
		return deliver_batch_flush(st, &batch, now, errp);
	return 0;
}

/*
 * Begin a transaction and record the outcomes of d->ended[] in it.  On
 * failure (-1) there is no transaction, and the transfers are kept for
 * the next round.
 */
static int
deliver_begin_recording(struct deliver *d, struct store *st,
    const struct config *cfg, char **errp)
{
	if (store_begin(st, errp) != 0) {
		deliver_refused(d);
		return -1;
	}
	if (deliver_record_ended(d, st, cfg, errp) != 0) {
		store_rollback(st);
		deliver_refused(d);
		return -1;
	}
	return 0;
}

int
deliver_start(struct deliver *d, struct store *st, const struct config *cfg,
    time_t now, int *started, char **errp)
{
	struct transfer *ready[DELIVER_MAX_OUTSTANDING];
	struct outbox_item *v = NULL;
	size_t n = 0, i, nready = 0;
	int slots, marked = 0;

	*started = 0;
	/* Nothing ended and no slot free: no transaction (it would take
	 * the write lock from the CLI for nothing). */
	if (deliver_collect_ended(d) == 0 && deliver_free_slots(d) <= 0)
		return 0;
	/* One transaction a round: the first also records the transfers
	 * that ended, whose slots the round then fills.  In it the rows
	 * become `sending` (or get their outcome) and their reminders are
	 * read; the network sees them only once that is committed.  The
	 * outcomes are kept even when claiming fails (the savepoint). */
	if (deliver_begin_recording(d, st, cfg, errp) != 0)
		return -1;
	if (d->nended > 0) {
		if (store_mark(st, errp) != 0)
			goto fail;
		marked = 1;
	}
	for (;;) {
		n = 0;
		if ((slots = DELIVER_MAX_OUTSTANDING - d->inflight +
		    (int)d->nended) > 0 &&
		    outbox_claim_due(st, now, slots, &v, &n, errp) != 0)
			goto fail;
		for (i = 0; i < n; i++) {
			if (deliver_take(d, st, cfg, &v[i], now,
			    &ready[nready], errp) != 0)
				goto fail;
			if (ready[nready] != NULL)
				nready++;
		}
		if (marked && store_mark_keep(st, errp) != 0)
			goto fail;
		marked = 0;
		if (store_commit(st, errp) != 0)
			goto fail;
		deliver_recorded(d);
		sender_submit(d->sender, ready, nready);
		d->inflight += (int)nready;
		*started += (int)n;
		nready = 0;
		outbox_list_free(v, n);
		v = NULL;
		/* Another round only when the claim was full and rows
		 * finished at once (the log channel) left slots free: a
		 * burst fills every slot, and a transaction to find none
		 * free was one for nothing. */
		if (slots <= 0 || n < (size_t)slots ||
		    deliver_free_slots(d) <= 0)
			return 0;
		if (store_begin(st, errp) != 0)
			return -1;
	}
fail:
	/* The outcomes recorded before the savepoint stay; when even they
	 * cannot be committed, the transfers wait for the next round. */
	if (!marked || store_mark_undo(st, NULL) != 0 ||
	    store_commit(st, NULL) != 0) {
		store_rollback(st);
		deliver_refused(d);
	} else
		deliver_recorded(d);
	for (i = 0; i < nready; i++)
		deliver_release(d, ready[i]);
	outbox_list_free(v, n);
	return -1;
}

int
deliver_reap(struct deliver *d, struct store *st, const struct config *cfg,
    char **errp)
{
	if (deliver_collect_ended(d) == 0)
		return 0;
	if (deliver_begin_recording(d, st, cfg, errp) != 0)
		return -1;
	if (store_commit(st, errp) != 0) {
		store_rollback(st);
		deliver_refused(d);
		return -1;
	}
	deliver_recorded(d);
	return 0;
}
