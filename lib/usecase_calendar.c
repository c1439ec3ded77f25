/*
 * The calendar feeds' secret addresses, made and revoked, and a feed
 * shown without the HTTP listener.  A token is shown once: the database
 * keeps its hash only (lib/calendar_token.h).
 */
#include "usecase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "calendar_token.h"
#include "config.h"
#include "err.h"
#include "person.h"
#include "store.h"
#include "time_format.h"
#include "usecase_txn.h"

struct calendar_url_step {
	const struct config_person *p;
	int renew;
	struct uc_calendar_url *out;
};

/* A live token cannot be shown again: refused, saying how to replace it. */
static enum uc_status
calendar_url_refuse(const struct uc_ctx *ctx, const struct config_person *p,
    int64_t created, char **errp)
{
	char when[64];

	if (timeutil_format_iso((time_t)created, person_zone(ctx->cfg,
	    p->handle), when, sizeof(when)) != 0)
		snprintf(when, sizeof(when), "earlier");
	err_set(errp, "%s already has a calendar address (made %s); only its "
	    "hash is kept, so it cannot be shown again: `nudge calendar url "
	    "%s --new` makes a new one and the old one stops working",
	    p->handle, when, p->handle);
	return UC_REFUSED;
}

static enum uc_status
calendar_url_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct calendar_url_step *s = arg;
	char hash[CALENDAR_TOKEN_LEN + 1];
	int64_t created, id;
	int live;

	if ((live = calendar_token_live(*ctx->st, s->p->handle, &created,
	    errp)) < 0)
		return UC_FAILED;
	if (live && !s->renew)
		return calendar_url_refuse(ctx, s->p, created, errp);
	if (live && calendar_token_revoke(*ctx->st, s->p->handle, ctx->now,
	    &s->out->replaced, errp) != 0)
		return UC_FAILED;
	if (calendar_token_hash(s->out->token, hash, errp) != 0 ||
	    calendar_token_insert(*ctx->st, s->p->handle, hash, ctx->now, &id,
	    errp) != 0)
		return UC_FAILED;
	return UC_OK;
}

enum uc_status
uc_calendar_url(struct uc_ctx *ctx, const char *handle, int renew,
    struct uc_calendar_url *out, char **errp)
{
	struct calendar_url_step s = { NULL, renew, out };

	memset(out, 0, sizeof(*out));
	if ((s.p = person_find(ctx->cfg, handle, errp)) == NULL)
		return UC_REFUSED;
	/* Everything that can fail is done before the commit: a failure
	 * after it would lose a token that works. */
	if (calendar_token_new(out->token, errp) != 0 ||
	    calendar_url(ctx->cfg, out->token, &out->url, errp) != 0)
		return UC_FAILED;
	return uc_in_transaction(ctx, calendar_url_step, &s, errp);
}

void
uc_calendar_url_clear(struct uc_calendar_url *u)
{
	free(u->url);
	/* The token is a secret: not left in freed memory. */
	explicit_bzero(u, sizeof(*u));
}

struct calendar_revoke_step {
	const char *handle;
	int64_t *revoked;
};

static enum uc_status
calendar_revoke_step(struct uc_ctx *ctx, void *arg, char **errp)
{
	struct calendar_revoke_step *s = arg;

	return calendar_token_revoke(*ctx->st, s->handle, ctx->now,
	    s->revoked, errp) == 0 ? UC_OK : UC_FAILED;
}

enum uc_status
uc_calendar_revoke(struct uc_ctx *ctx, const char *handle, int64_t *revoked,
    char **errp)
{
	struct calendar_revoke_step s = { handle, revoked };

	*revoked = 0;
	if (person_find(ctx->cfg, handle, errp) == NULL)
		return UC_REFUSED;
	return uc_in_transaction(ctx, calendar_revoke_step, &s, errp);
}

enum uc_status
uc_calendar_show(struct uc_ctx *ctx, const char *handle, char **ics,
    char **errp)
{
	const struct config_person *p;
	enum uc_status rc;

	*ics = NULL;
	if ((p = person_find(ctx->cfg, handle, errp)) == NULL)
		return UC_REFUSED;
	if ((rc = uc_store_read(ctx, errp)) != UC_OK)
		return rc;
	return calendar_feed(*ctx->st, ctx->cfg, p, ctx->now, ics, errp) == 0 ?
	    UC_OK : UC_FAILED;
}
