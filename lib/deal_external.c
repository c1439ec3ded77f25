#include "deal_external.h"

#include "store_value.h"

static const char SQL_FIND[] =
    "SELECT deal_id FROM deal_external_ids WHERE source = ?1 "
    "AND external_id = ?2";
static const char SQL_ADD[] =
    "INSERT INTO deal_external_ids (source, external_id, deal_id) "
    "VALUES (?1, ?2, ?3)";

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
