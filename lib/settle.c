#include "settle.h"

#include <stdio.h>
#include <stdlib.h>

#include "err.h"
#include "event.h"
#include "store.h"
#include "store_value.h"

/* The update changed nothing: say why, from the record's state. */
static int
settle_refused(struct store *st, const struct settle_kind *k, int64_t id,
    char **errp)
{
	char *was;
	int rc;

	rc = store_value_text(st, k->state, STORE_ARGS(STORE_INT(id)), &was,
	    k->noun, errp);
	if (rc == 0)
		err_set(errp, "no %s with id %lld", k->noun, (long long)id);
	else if (rc > 0)
		err_set(errp, "%s %lld is already %s", k->noun, (long long)id,
		    was != NULL ? was : "");
	free(was);
	return -1;
}

int
settle(struct store *st, const struct settle_kind *k, int64_t id,
    const char *state, time_t at, int has_at, time_t now, char **errp)
{
	char kind[48];

	if (store_exec(st, k->set, STORE_ARGS(STORE_INT(id), STORE_TEXT(state),
	    STORE_OPT(at, has_at), STORE_INT(now)), errp) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) == 0)
		return settle_refused(st, k, id, errp);
	snprintf(kind, sizeof(kind), "%s.%s", k->noun, state);
	return event_append(st, at, kind, k->noun, id, NULL, errp);
}
