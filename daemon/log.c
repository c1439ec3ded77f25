#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int log_verbose;
static int log_journal;
/* Lines gather here until log_flush(): one write(2) per turn of the loop
 * instead of one per line, which in a burst was a write for every
 * delivery.  exit() flushes it too. */
static char log_buf[64 * 1024];

void
log_init(int verbose)
{
	log_verbose = verbose;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
	setvbuf(stderr, log_buf, _IOFBF, sizeof(log_buf));
}

void
log_flush(void)
{
	fflush(stderr);
}

static void log_vwrite(int, const char *, va_list, const char *)
    __attribute__((format(printf, 2, 0)));

static void
log_vwrite(int pri, const char *fmt, va_list ap, const char *suffix)
{
	static const char *const names[] = { "emerg", "alert", "crit",
		"error", "warning", "notice", "info", "debug" };
	static char stamp[32];
	static time_t stamped = -1;
	struct tm tm;
	time_t now;
	int saved = errno;

	if (log_journal) {
		/* journald adds its own time stamp. */
		fprintf(stderr, "<%d>", pri);
	} else {
		/* UTC: TZ is whichever person's zone nudged last worked in
		 * (lib/time_zone.c), so local time here would wander. */
		if ((now = time(NULL)) != stamped) {
			gmtime_r(&now, &tm);
			strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ",
			    &tm);
			stamped = now;
		}
		fprintf(stderr, "%s nudged[%s]: ", stamp, names[pri]);
	}
	vfprintf(stderr, fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, ": %s", suffix);
	fputc('\n', stderr);
	errno = saved;
}

void
log_at(int pri, int with_errno, const char *fmt, ...)
{
	va_list ap;
	/* Taken before anything here can change errno. */
	const char *e = with_errno ? strerror(errno) : NULL;

	if (pri == LOG_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite(pri, fmt, ap, e);
	va_end(ap);
}

void
fatalx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
	exit(status);   /* flushes the log */
}

void
log_notice(enum notice_level level, const char *msg)
{
	if (level == NOTICE_WARN)
		log_warnx("%s", msg);
	else
		log_info("%s", msg);
}
