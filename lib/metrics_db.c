/* What /metrics reads from the database: see metrics_db.h. */
#include "metrics_db.h"

#include "store.h"

/* Both halves use an index: followups by (state, remind_at), the
 * outbox's open rows by deliveries_open (state <> 'delivered'). */
static const char SQL_OLDEST[] =
    "SELECT min(m) FROM ("
    "SELECT min(remind_at) AS m FROM followups WHERE state = 'pending' "
    "AND remind_at <= ?1 UNION ALL "
    "SELECT min(f.remind_at) FROM deliveries d JOIN followups f ON "
    "f.id = d.followup_id WHERE d.state <> 'delivered' AND "
    "d.state IN ('queued', 'sending', 'retry'))";

int
metrics_oldest_due(struct store *st, time_t now, int64_t *at, int *found,
    char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_OLDEST, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, (int64_t)now);
	return store_int(st, q, at, found, "reading the oldest reminder",
	    errp);
}
