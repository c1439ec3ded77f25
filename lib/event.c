#include "event.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "err.h"
#include "event.def"
#include "store.h"

static const char SQL_INSERT[] =
    "INSERT INTO events (at, kind, subject_type, subject_id, actor, data) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
#define EVENT_SELECT "SELECT " STORE_DEF_SELECT(EVENT_DEF) "FROM events "
static const char SQL_AFTER[] =
    EVENT_SELECT "WHERE id > ?1 ORDER BY id LIMIT ?2";
static const char SQL_SUBJECT[] =
    EVENT_SELECT "WHERE subject_type = ?1 AND subject_id = ?2 ORDER BY id";

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
	rc = store_exec(st, SQL_INSERT, STORE_ARGS(STORE_INT(at),
	    STORE_TEXT(kind), STORE_TEXT(subject_type), STORE_INT(subject_id),
	    STORE_TEXT(store_actor(st) != NULL ? store_actor(st) :
	    event_actor()), STORE_TEXT(text)), errp);
	free(text);
	return rc;
}

STORE_DEF_ROW_TYPE(event_rows, EVENT_DEF, struct event, "event",
    "reading events");

int
event_list_after(struct store *st, int64_t after, int max, struct event **out,
    size_t *n, char **errp)
{
	return store_list(st, SQL_AFTER, STORE_ARGS(STORE_INT(after),
	    STORE_INT(max)), &event_rows, out, n, errp);
}

int
event_list_subject(struct store *st, const char *subject_type,
    int64_t subject_id, struct event **out, size_t *n, char **errp)
{
	return store_list(st, SQL_SUBJECT, STORE_ARGS(STORE_TEXT(subject_type),
	    STORE_INT(subject_id)), &event_rows, out, n, errp);
}

void
event_list_free(struct event *ev, size_t n)
{
	store_rows_free(&event_rows, ev, n);
}
