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

#include "notice.h"

void log_init(int verbose);
/* The library's notices (notice.h) as log lines. */
void log_notice(enum notice_level level, const char *msg);
void log_flush(void);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log at error level and exit(status). */
void fatalx(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
