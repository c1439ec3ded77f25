#include "event.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "err.h"
#include "store.h"

static const char SQL_INSERT[] =
    "INSERT INTO events (at, kind, subject_type, subject_id, actor, data) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_AFTER[] =
    "SELECT id, at, kind, subject_type, subject_id, actor, data FROM events "
    "WHERE id > ?1 ORDER BY id LIMIT ?2";
static const char SQL_SUBJECT[] =
    "SELECT id, at, kind, subject_type, subject_id, actor, data FROM events "
    "WHERE subject_type = ?1 AND subject_id = ?2 ORDER BY id";

#define EVENT_JSON_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

/* Who is acting: the login name, so the audit log says who changed what. */
static const char *
event_actor(void)
{
	static char name[64];
	struct passwd *pw;
	const char *user;

	if (name[0] != '\0')
		return name;
	if ((pw = getpwuid(geteuid())) != NULL)
		user = pw->pw_name;
	else if ((user = getenv("USER")) == NULL)
		user = "unknown";
	snprintf(name, sizeof(name), "%s", user);
	return name;
}

int
event_append(struct store *st, time_t at, const char *kind,
    const char *subject_type, int64_t subject_id, json_t *data, char **errp)
{
	sqlite3_stmt *q;
	char *text = NULL;
	size_t len;
	int rc;

	/* Not json_dumps(): jansson 2.14 drops an object key it cannot
	 * append to its buffer and writes broken JSON; json_dumpb() into
	 * a buffer of the right size needs no buffer of its own. */
	if (data != NULL) {
		len = json_dumpb(data, NULL, 0, EVENT_JSON_FLAGS);
		if (len == 0 || (text = malloc(len + 1)) == NULL ||
		    json_dumpb(data, text, len, EVENT_JSON_FLAGS) != len) {
			free(text);
			return err_set(errp, "out of memory");
		}
		text[len] = '\0';
	}
	if ((q = store_stmt(st, SQL_INSERT, errp)) == NULL) {
		free(text);
		return -1;
	}
	sqlite3_bind_int64(q, 1, at);
	store_bind_text(q, 2, kind);
	store_bind_text(q, 3, subject_type);
	sqlite3_bind_int64(q, 4, subject_id);
	store_bind_text(q, 5, event_actor());
	store_bind_text(q, 6, text);
	rc = store_exec_stmt(st, q, errp);
	free(text);
	return rc;
}

static int
event_collect(struct store *st, sqlite3_stmt *q, struct event **out,
    size_t *n, char **errp)
{
	struct event *v = NULL, *tmp;
	size_t len = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = realloc(v, cap * sizeof(*v))) == NULL) {
				sqlite3_reset(q);
				event_list_free(v, len);
				return err_set(errp, "out of memory");
			}
			v = tmp;
		}
		v[len].id = sqlite3_column_int64(q, 0);
		v[len].at = sqlite3_column_int64(q, 1);
		v[len].kind = store_column_strdup(q, 2);
		v[len].subject_type = store_column_strdup(q, 3);
		v[len].subject_id = sqlite3_column_int64(q, 4);
		v[len].actor = store_column_strdup(q, 5);
		v[len].data = store_column_strdup(q, 6);
		len++;
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE && store_column_lost(errp)) {
		event_list_free(v, len);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		event_list_free(v, len);
		return store_err(st, errp, "reading events");
	}
	*out = v;
	*n = len;
	return 0;
}

int
event_list_after(struct store *st, int64_t after, int max, struct event **out,
    size_t *n, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_AFTER, errp)) == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_int(q, 2, max);
	return event_collect(st, q, out, n, errp);
}

int
event_list_subject(struct store *st, const char *subject_type,
    int64_t subject_id, struct event **out, size_t *n, char **errp)
{
	sqlite3_stmt *q;

	if ((q = store_stmt(st, SQL_SUBJECT, errp)) == NULL)
		return -1;
	store_bind_text(q, 1, subject_type);
	sqlite3_bind_int64(q, 2, subject_id);
	return event_collect(st, q, out, n, errp);
}

void
event_list_free(struct event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ev[i].kind);
		free(ev[i].subject_type);
		free(ev[i].actor);
		free(ev[i].data);
	}
	free(ev);
}
