/*
 * nudged: schedules follow-ups by the rules in the configuration and
 * reminds people on their channels.  Runs in the foreground (systemd
 * style); one per database.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "loop.h"
#include "runlock.h"
#include "store.h"
#include "timeutil.h"
#include "words.h"

#define EX_CONFIG 78    /* sysexits.h: systemd's RestartPreventExitStatus */

static void
usage(FILE *f)
{
	fprintf(f, "usage: nudged [-c CONFIG] [--check-config] [--once] [-v]\n");
}

/*
 * One scheduler per database: its lock (lib/runlock.h) held for the
 * daemon's life.  The kernel drops it when the process dies, so a crash
 * never leaves a stale lock, and `nudge status` asks it whether we run.
 */
static void
main_lock(const char *database, int *fd)
{
	char *err = NULL;
	int64_t holder;
	int rc;

	if ((rc = runlock_take(database, fd, &holder, &err)) < 0)
		fatalx(1, "%s", err);
	if (rc > 0)
		fatalx(1, "another nudged (pid %lld) is already scheduling for "
		    "%s; only one may run per database", (long long)holder,
		    database);
	if (err != NULL) {
		log_warnx("%s", err);
		free(err);
	}
}

/* What holds for the whole process, set while it has one thread. */
static void
main_process_init(void)
{
	char *err = NULL;

	notice_set_handler(log_notice);
	/* Before any thread: words_load() sets LANGUAGE for a moment. */
	if (words_load(&err) != 0) {
		log_warnx("%s", err);
		free(err);
	}
	/*
	 * Keep freed heap instead of handing it back to the kernel and
	 * faulting it in again a moment later: in a burst every delivery
	 * frees and allocates SQLite, jansson and curl buffers, and the
	 * trims and faults cost up to a third of nudged's CPU on a machine
	 * whose memory is fragmented (docs/PERFORMANCE.md).  nudged's heap
	 * stays a few MB, so this bounds RSS by its peak, not by 64 MB.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TOP_PAD, 4 * 1024 * 1024);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "once", no_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct loop_opts o;
	struct config *cfg = NULL;
	struct store *st = NULL;
	char *err = NULL;
	int ch, check = 0, verbose = 0, lockfd = -1, rc;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o.config_path = optarg; break;
		case 'C': check = 1; break;
		case 'o': o.once = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("nudged %s\n", NUDGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init(verbose);
	main_process_init();
	if (o.config_path == NULL)
		o.config_path = config_default_path();
	if (config_load(o.config_path, &cfg, &err) != 0) {
		if (check)
			fprintf(stderr, "nudged: %s\n", err);
		else
			log_warnx("%s", err);
		free(err);
		return EX_CONFIG;
	}
	if (check) {
		printf("%s: configuration OK\n", cfg->path);
		config_free(cfg);
		return 0;
	}
	/* NUDGE_NOW (ISO 8601) pins the clock for --once, as it does for
	 * nudge: cron users replaying a day, and tests. */
	if (o.once && getenv("NUDGE_NOW") != NULL &&
	    timeutil_parse_when(getenv("NUDGE_NOW"), time(NULL), "UTC", 0,
	    NULL, &o.once_now, &err) != 0)
		fatalx(2, "NUDGE_NOW: %s", err);
	umask(007);
	store_skip_memstatus();
	main_lock(cfg->database, &lockfd);
	if (store_open(cfg->database, 0, &st, &err) != 0)
		fatalx(1, "%s", err);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx(1, "curl_global_init failed");
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	o.lockfd = lockfd;
	rc = loop_run(&o, cfg, st);
	store_close(st);
	curl_global_cleanup();
	close(lockfd);
	return rc;
}
