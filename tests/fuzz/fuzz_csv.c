/*
 * `nudge import`: CSV through libcsv, the header, every row's checks and
 * the inserts, into a real SQLite store with the real schema, for each of
 * deals, promises and follow-ups.  The header decides which kind a file
 * can be, so every input goes through all three.
 *
 * The store is made once per process.  A commit hook turns every import's
 * COMMIT into a rollback, so each input starts from the same database and
 * a crash reproduces from its input alone; import_csv() then reports the
 * failed commit, which exercises its error path too.  Beyond crashes and
 * leaks this checks that an import never leaves a transaction open and
 * that the error contract holds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "config.h"
#include "fuzz_common.h"
#include "import.h"
#include "store.h"

/* People in three zones, with the working time and digest that
 * person_remind_at() and the date parsing depend on. */
static const char fuzz_conf[] =
    "timezone = \"Europe/Stockholm\";\n"
    "holidays = [ \"2026-12-24\", \"2026-12-25\" ];\n"
    "channels = ( { name = \"log\"; type = \"log\"; } );\n"
    "people = (\n"
    "  { handle = \"anna\"; name = \"Anna Lind\"; hours = \"08:00-17:00\";\n"
    "    days = \"mon-fri\"; holidays = [ \"2026-07-06\" ];\n"
    "    digest = \"08:30\"; capacity = 5; },\n"
    "  { handle = \"bo\"; timezone = \"UTC\"; hours = \"00:00-24:00\";\n"
    "    days = \"mon-sun\"; },\n"
    "  { handle = \"carl\"; timezone = \"America/New_York\";\n"
    "    hours = \"22:00-23:59\"; days = \"sat-mon\"; }\n"
    ");\n";

/* Deals 1 and 2 exist, so a promise's `deal` column can name one. */
static const char fuzz_deals[] =
    "title,account,owner,value,currency,closes\n"
    "Roof repair,Acme AB,anna,12500,SEK,2026-09-01\n"
    "Gutter,Beta AB,bo,900.50,EUR,\n";

/* 2026-06-01 10:00 UTC, a Monday. */
#define FUZZ_NOW ((time_t)1780308000)

static struct config *fuzz_cfg;
static struct store *fuzz_st;
static int fuzz_commits;

static int
fuzz_veto_commit(void *arg)
{
	(void)arg;
	fuzz_commits++;
	return 1;
}

static void
fuzz_import(enum import_kind kind, const char *text, size_t len,
    size_t *count, char **errp)
{
	FILE *in;
	int rc;

	if ((in = fmemopen((void *)text, len, "r")) == NULL)
		fuzz_fail("fmemopen failed");
	rc = import_csv(fuzz_st, fuzz_cfg, kind, in, "fuzz.csv", FUZZ_NOW,
	    1, count, errp);
	fclose(in);
	if (rc != 0 && rc != -1)
		fuzz_fail("import_csv returned %d", rc);
	if (!sqlite3_get_autocommit(store_db(fuzz_st)))
		fuzz_fail("import_csv left a transaction open");
}

static void
fuzz_init(void)
{
	char *conf = fuzz_path("nudge.conf"), *db = fuzz_path("nudge.db");
	char *err = NULL;
	size_t count = 0;

	fuzz_write(conf, fuzz_conf, sizeof(fuzz_conf) - 1);
	if (config_load(conf, &fuzz_cfg, &err) != 0)
		fuzz_fail("config: %s", err);
	if (store_open(db, 0, &fuzz_st, &err) != 0)
		fuzz_fail("store: %s", err);
	fuzz_import(IMPORT_DEALS, fuzz_deals, sizeof(fuzz_deals) - 1, &count,
	    &err);
	if (err != NULL || count != 2)
		fuzz_fail("seeding deals: %s", err != NULL ? err : "count");
	sqlite3_commit_hook(store_db(fuzz_st), fuzz_veto_commit, NULL);
	free(conf);
	free(db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum import_kind kinds[] = { IMPORT_DEALS,
		IMPORT_PROMISES, IMPORT_FOLLOWUPS };
	char *err;
	size_t i, count;
	int before;

	if (fuzz_st == NULL)
		fuzz_init();
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		err = NULL;
		count = 1;
		before = fuzz_commits;
		fuzz_import(kinds[i], (const char *)data, size, &count, &err);
		/* Every commit is vetoed: reaching one is the success path,
		 * which must end in the failed commit's message. */
		if (err == NULL || *err == '\0')
			fuzz_fail("import failed without a message");
		if (count != 0)
			fuzz_fail("a failed import counted %zu records", count);
		if (fuzz_commits != before &&
		    strstr(err, "committing") == NULL)
			fuzz_fail("a vetoed commit reported '%s'", err);
		free(err);
	}
	return 0;
}
