/*
 * floor_api: the floor of the API benchmark (bench/apiload.py).  The
 * least an HTTP service must do for what `POST /v1/deals` does: a
 * libmicrohttpd server (its own polling thread, as nudged's listener)
 * that reads each POST's body and inserts it with one prepared statement
 * into a SQLite file in WAL with synchronous=FULL (nudge's durable
 * setting), then answers 201 with a small JSON body.
 *
 *   floor_api PORT DB     serve on 127.0.0.1:PORT until SIGTERM
 *
 * No authentication, parsing, checks, events or rules: just HTTP and
 * SQLite.
 */
#include <microhttpd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sqlite3 *db;
static sqlite3_stmt *ins;
static volatile sig_atomic_t stop;

struct body {
	char buf[65536];
	size_t len;
};

static enum MHD_Result
answer(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text),
	    (void *)text, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	MHD_add_response_header(r, "Content-Type", "application/json");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **con_cls)
{
	struct body *b = *con_cls;
	char out[64];

	(void)cls;
	(void)url;
	(void)version;
	if (strcmp(method, "POST") != 0)
		return answer(c, 405, "{}");
	if (b == NULL) {
		if ((b = calloc(1, sizeof(*b))) == NULL)
			return MHD_NO;
		*con_cls = b;
		return MHD_YES;
	}
	if (*size > 0) {
		if (b->len + *size < sizeof(b->buf)) {
			memcpy(b->buf + b->len, data, *size);
			b->len += *size;
		}
		*size = 0;
		return MHD_YES;
	}
	sqlite3_bind_text(ins, 1, b->buf, (int)b->len, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		sqlite3_reset(ins);
		return answer(c, 500, "{}");
	}
	sqlite3_reset(ins);
	snprintf(out, sizeof(out), "{\"id\":%lld}",
	    (long long)sqlite3_last_insert_rowid(db));
	return answer(c, 201, out);
}

static void
done(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	free(*con_cls);
	*con_cls = NULL;
}

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d;

	if (argc != 3) {
		fprintf(stderr, "usage: floor_api PORT DB\n");
		return 2;
	}
	if (sqlite3_open(argv[2], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = "
	    "FULL; CREATE TABLE IF NOT EXISTS deals (id INTEGER PRIMARY KEY, "
	    "body TEXT NOT NULL)", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO deals (body) VALUES (?1)", -1,
	    &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "floor_api: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	/* One polling thread: its requests, and so its statement, one at a
	 * time. */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    (unsigned short)atoi(argv[1]), NULL, NULL, handle, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, done, NULL, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "floor_api: cannot listen on %s\n", argv[1]);
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
