#include "fault.h"

#include <stdio.h>
#include <string.h>

/* SQLite's own messages (sqlite3_errstr()), which every store error
 * carries after its "what it was doing: " prefix. */
static const struct {
	const char *words;
	enum fault_kind kind;
} fault_words[] = {
	{ "database or disk is full", FAULT_FULL },
	{ "No space left on device", FAULT_FULL },
	{ "Disk quota exceeded", FAULT_FULL },
	{ "readonly database", FAULT_READONLY },
	{ "Read-only file system", FAULT_READONLY },
	{ "disk I/O error", FAULT_IO },
	{ "unable to open database file", FAULT_CANTOPEN },
	{ "database disk image is malformed", FAULT_CORRUPT },
	{ "file is not a database", FAULT_CORRUPT },
	{ "database is locked", FAULT_BUSY },
};

enum fault_kind
fault_classify(const char *msg)
{
	size_t i;

	if (msg == NULL)
		return FAULT_OTHER;
	for (i = 0; i < sizeof(fault_words) / sizeof(fault_words[0]); i++)
		if (strstr(msg, fault_words[i].words) != NULL)
			return fault_words[i].kind;
	return FAULT_OTHER;
}

const char *
fault_name(enum fault_kind kind)
{
	switch (kind) {
	case FAULT_NONE:
		return "none";
	case FAULT_FULL:
		return "disk full";
	case FAULT_READONLY:
		return "read-only";
	case FAULT_IO:
		return "I/O error";
	case FAULT_CANTOPEN:
		return "cannot open";
	case FAULT_CORRUPT:
		return "corrupt";
	case FAULT_BUSY:
		return "busy";
	case FAULT_OTHER:
		break;
	}
	return "error";
}

int64_t
fault_backoff_ms(int failures)
{
	int64_t wait = FAULT_FIRST_MS;
	int i;

	for (i = 1; i < failures && wait < FAULT_MAX_MS; i++)
		wait *= 2;
	return wait < FAULT_MAX_MS ? wait : FAULT_MAX_MS;
}

int
fault_failed(struct fault_state *f, const char *msg, int64_t now_ms)
{
	enum fault_kind kind = fault_classify(msg);
	/* Another message of no known kind is another fault: said, not
	 * swallowed as more of the first. */
	int changed = kind != f->kind || (kind == FAULT_OTHER &&
	    strncmp(f->what, msg != NULL ? msg : "", sizeof(f->what) - 1) != 0);

	if (changed) {
		f->kind = kind;
		f->failures = 0;
		f->since_ms = now_ms;
		snprintf(f->what, sizeof(f->what), "%s", msg != NULL ? msg :
		    "unknown error");
	}
	f->failures++;
	f->retry_at_ms = now_ms + fault_backoff_ms(f->failures);
	return changed;
}

int
fault_cleared(struct fault_state *f)
{
	int was = f->kind != FAULT_NONE;

	memset(f, 0, sizeof(*f));
	return was;
}

int
fault_may_try(const struct fault_state *f, int64_t now_ms)
{
	return f->kind == FAULT_NONE || now_ms >= f->retry_at_ms;
}
