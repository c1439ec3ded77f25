#include "deal_external.h"

#include "store.h"
#include "store_value.h"

static const char SQL_FIND[] =
    "SELECT deal_id FROM deal_external_ids WHERE source = ?1 "
    "AND external_id = ?2";
static const char SQL_ADD[] =
    "INSERT INTO deal_external_ids (source, external_id, deal_id) "
    "VALUES (?1, ?2, ?3)";
#define DEAL_EXTERNAL_DEF(COL, LAST) \
	COL(TEXT, source, "source") LAST(TEXT, external_id, "external_id")
static const char SQL_OF[] =
    "SELECT " STORE_DEF_SELECT(DEAL_EXTERNAL_DEF) "FROM deal_external_ids "
    "WHERE deal_id = ?1 ORDER BY source, external_id";

STORE_DEF_ROW_TYPE(deal_external_rows, DEAL_EXTERNAL_DEF,
    struct deal_external, "external id", "reading external ids");
STORE_DEF_CLEAR_FREE(deal_external_rows, struct deal_external,
    deal_external_clear, deal_external_list_free)

int
deal_external_find(struct store *st, const char *source, const char *ext,
    int64_t *deal_id, char **errp)
{
	return store_value_int(st, SQL_FIND, STORE_ARGS(STORE_TEXT(source),
	    STORE_TEXT(ext)), deal_id, "reading external ids", errp);
}

int
deal_external_add(struct store *st, const char *source, const char *ext,
    int64_t deal_id, char **errp)
{
	return store_exec(st, SQL_ADD, STORE_ARGS(STORE_TEXT(source),
	    STORE_TEXT(ext), STORE_INT(deal_id)), errp);
}

int
deal_external_of(struct store *st, int64_t deal_id, struct deal_external **v,
    size_t *n, char **errp)
{
	return store_list(st, SQL_OF, STORE_ARGS(STORE_INT(deal_id)),
	    &deal_external_rows, v, n, errp);
}
