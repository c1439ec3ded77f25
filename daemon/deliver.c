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
#include "store.h"

#define DELIVER_BATCH 200

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
	/* Up to 25 % jitter so a failing receiver is not hit in lockstep. */
	if (wait >= 4)
		wait -= random() % (wait / 4);
	return wait > 0 ? wait : 1;
}

/* The log channel: the reminder is a line in the daemon's log. */
static int
deliver_log(const struct followup *f, const struct outbox_item *it)
{
	const char *acc = f->account;

	log_info("REMINDER for %s: %s%s%s%s (follow-up %lld, delivery %s)",
	    f->owner, f->text, acc != NULL ? " [" : "",
	    acc != NULL ? acc : "", acc != NULL ? "]" : "", (long long)f->id,
	    it->delivery_id);
	return 0;
}

/* Record the outcome of one attempt and log it. */
static int
deliver_outcome(struct store *st, const struct config *cfg,
    const struct outbox_item *it, const char *error, int permanent,
    time_t now, char **errp)
{
	time_t next = 0;

	if (error == NULL) {
		log_info("delivered follow-up %lld via %s (attempt %d)",
		    (long long)it->followup_id, it->channel, it->attempts + 1);
		return outbox_mark_delivered(st, it->id, now, errp);
	}
	if (!permanent && it->attempts + 1 < cfg->delivery.attempts)
		next = now + deliver_backoff(cfg, it->attempts + 1);
	if (next != 0)
		log_warnx("follow-up %lld via %s failed (attempt %d of %d), "
		    "retrying in %lds: %s", (long long)it->followup_id,
		    it->channel, it->attempts + 1, cfg->delivery.attempts,
		    (long)(next - now), error);
	else
		log_warnx("follow-up %lld via %s is dead after %d attempts: %s",
		    (long long)it->followup_id, it->channel, it->attempts + 1,
		    error);
	return outbox_mark_failed(st, it->id, error, next, now, errp);
}

int
deliver_due(struct store *st, const struct config *cfg, time_t now,
    int *sent, char **errp)
{
	const struct config_channel *ch;
	struct outbox_item *v = NULL;
	struct followup f;
	char error[256];
	size_t n = 0, i;
	int permanent;

	*sent = 0;
	if (outbox_list_due(st, now, DELIVER_BATCH, &v, &n, errp) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (followup_get(st, v[i].followup_id, &f, errp) != 0)
			goto fail;
		error[0] = '\0';
		permanent = 0;
		ch = config_channel(cfg, v[i].channel);
		if (ch == NULL) {
			snprintf(error, sizeof(error), "channel '%s' is no "
			    "longer in the configuration", v[i].channel);
			permanent = 1;
		} else if (ch->type == CONFIG_CHANNEL_LOG) {
			deliver_log(&f, &v[i]);
		} else {
			snprintf(error, sizeof(error), "channel '%s': "
			    "delivery of this type is not built in this "
			    "version", ch->name);
			permanent = 1;
		}
		followup_clear(&f);
		if (store_begin(st, errp) != 0)
			goto fail;
		if (outbox_mark_sending(st, v[i].id, now, errp) != 0 ||
		    deliver_outcome(st, cfg, &v[i],
		    error[0] != '\0' ? error : NULL, permanent, now,
		    errp) != 0 || store_commit(st, errp) != 0) {
			store_rollback(st);
			goto fail;
		}
		(*sent)++;
	}
	outbox_list_free(v, n);
	return 0;
fail:
	outbox_list_free(v, n);
	return -1;
}
