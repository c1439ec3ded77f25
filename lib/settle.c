#include "settle.h"

#include <stdio.h>

#include "err.h"
#include "event.h"
#include "store.h"

int
settle(struct store *st, const struct settle_kind *k, int64_t id,
    const char *state, time_t at, int has_at, time_t now, char **errp)
{
	char kind[48];

	if (store_require_open(st, k->get, id, k->rows, k->state, errp) != 0 ||
	    store_exec(st, k->set, STORE_ARGS(STORE_INT(id), STORE_TEXT(state),
	    STORE_OPT(at, has_at), STORE_INT(now)), errp) != 0)
		return -1;
	snprintf(kind, sizeof(kind), "%s.%s", k->rows->noun, state);
	return event_append(st, at, kind, k->rows->noun, id, NULL, errp);
}
