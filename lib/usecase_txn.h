/*
 * For the use-case files only: running one step in a transaction, and
 * the refusals they share.
 */
#ifndef NUDGE_USECASE_TXN_H
#define NUDGE_USECASE_TXN_H

#include "usecase.h"

typedef enum uc_status uc_step(struct uc_ctx *ctx, void *arg, char **errp);

/* Open the store if need be, begin, run step, and commit only when it
 * returned UC_OK (otherwise roll back: nothing is written). */
enum uc_status uc_in_transaction(struct uc_ctx *ctx, uc_step *step, void *arg,
    char **errp);

/* UC_REFUSED, saying why in ctx->refusal. */
enum uc_status uc_refuse(struct uc_ctx *ctx, enum uc_refusal why);

/* A deal's request checked and read into *out, not yet written; its
 * owner (uc_deal_add, uc_deal_import). */
enum uc_status uc_deal_prepare(struct uc_ctx *ctx,
    const struct uc_deal_add *req, struct deal *out,
    const struct config_person **person, char **errp);

/* text_check() of an optional field: UC_OK for NULL. */
enum uc_status uc_check_text(const char *s, size_t max, const char *what,
    char **errp);

/* The owner of a record, who must still be in the configuration. */
const struct config_person *uc_owner_still(const struct uc_ctx *ctx,
    const char *owner, const char *what, int64_t id, char **errp);

/* An outcome's --at WHEN (a deal won or lost, a promise kept or broken),
 * read in person's zone: it happened, so it is not in the future beyond
 * UC_OUTCOME_SKEW. */
enum uc_status uc_outcome_at(const struct uc_ctx *ctx,
    const struct config_person *person, const char *at, int default_min,
    time_t *when, char **errp);

/* A touch of account_id by owner at `at`, made by a record of `source`
 * (a follow-up done, a promise kept, a deal won), with its stay-in-touch
 * reminder planned again.  Inside the step's transaction. */
enum uc_status uc_touch(struct uc_ctx *ctx, int64_t account_id, int64_t at,
    const char *owner, const char *source, int64_t source_id, char **errp);

/* A deal won is a touch of its account, at the moment it was won, however
 * it came to be won (`deal won`, or an import or the API sending it won):
 * d as read back after the write.  Nothing for a deal open or lost. */
enum uc_status uc_deal_won_touch(struct uc_ctx *ctx, const struct deal *d,
    char **errp);

#endif
