#include "usecase.h"

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "usecase_txn.h"

static enum uc_status
uc_store_open(struct uc_ctx *ctx, unsigned flags, char **errp)
{
	int rc;

	if (*ctx->st != NULL)
		return UC_OK;
	rc = store_open(ctx->db_path != NULL ? ctx->db_path :
	    ctx->cfg->database, STORE_DURABLE | flags, ctx->st, errp);
	if (rc == STORE_NOT_NUDGE)
		return UC_REFUSED;
	return rc == 0 ? UC_OK : UC_FAILED;
}

enum uc_status
uc_store(struct uc_ctx *ctx, char **errp)
{
	return uc_store_open(ctx, 0, errp);
}

enum uc_status
uc_store_read(struct uc_ctx *ctx, char **errp)
{
	return uc_store_open(ctx, STORE_EXISTING, errp);
}

enum uc_status
uc_in_transaction(struct uc_ctx *ctx, uc_step *step, void *arg, char **errp)
{
	enum uc_status rc;

	if ((rc = uc_store(ctx, errp)) != UC_OK)
		return rc;
	if (store_begin(*ctx->st, errp) != 0)
		return UC_FAILED;
	if ((rc = step(ctx, arg, errp)) == UC_OK &&
	    store_commit(*ctx->st, errp) != 0)
		rc = UC_FAILED;
	if (rc != UC_OK)
		store_rollback(*ctx->st);
	return rc;
}

enum uc_status
uc_refuse(struct uc_ctx *ctx, enum uc_refusal why)
{
	ctx->refusal = why;
	return UC_REFUSED;
}

enum uc_status
uc_check_text(const char *s, size_t max, const char *what, char **errp)
{
	if (s != NULL && text_check(s, max, what, errp) != 0)
		return UC_REFUSED;
	return UC_OK;
}

const struct config_person *
uc_owner_still(const struct uc_ctx *ctx, const char *owner, const char *what,
    int64_t id, char **errp)
{
	const struct config_person *p = config_person(ctx->cfg, owner);

	if (p == NULL)
		err_set(errp, "owner '%s' of %s %lld is no longer in the "
		    "config", owner, what, (long long)id);
	return p;
}

enum uc_status
uc_outcome_at(const struct uc_ctx *ctx, const struct config_person *person,
    const char *at, int default_min, time_t *when, char **errp)
{
	time_t day_start;

	if (person_parse_when(ctx->cfg, person, at, ctx->now, default_min,
	    "--at", when, errp) != 0)
		return UC_REFUSED;
	if (*when <= ctx->now + UC_OUTCOME_SKEW)
		return UC_OK;
	/* "today" without a time of day is now, not the default time
	 * later today: read again at the day's first minute to tell. */
	if (person_parse_when(ctx->cfg, person, at, ctx->now, 0, "--at",
	    &day_start, errp) != 0)
		return UC_REFUSED;
	if (day_start <= ctx->now && day_start != *when) {
		*when = ctx->now;
		return UC_OK;
	}
	return err_set(errp, "--at: '%s' is in the future; an outcome is "
	    "logged once it has happened", at), UC_REFUSED;
}
