/*
 * nudged's log: one line per message on stderr, with journald priority
 * prefixes ("<6>") when stderr is the journal (JOURNAL_STREAM set).
 * Lines are buffered until log_flush(), which the loop calls before it
 * waits, and exit().
 * log_warn appends strerror(errno); the x variants do not.  All preserve
 * errno.  Secrets are never passed here.
 */
#ifndef NUDGED_LOG_H
#define NUDGED_LOG_H

#include <syslog.h>

#include "notice.h"

void log_init(int verbose);
/* The library's notices (notice.h) as log lines. */
void log_notice(enum notice_level level, const char *msg);
void log_flush(void);
/* pri is syslog(3)'s; with_errno appends strerror(errno).  Called through
 * the names below, so every call's format is checked against its
 * arguments. */
void log_at(int pri, int with_errno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define log_warn(...)	log_at(LOG_WARNING, 1, __VA_ARGS__)
#define log_warnx(...)	log_at(LOG_WARNING, 0, __VA_ARGS__)
#define log_info(...)	log_at(LOG_INFO, 0, __VA_ARGS__)
#define log_debug(...)	log_at(LOG_DEBUG, 0, __VA_ARGS__)
/* Log at error level and exit(status). */
void fatalx(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
