/*
 * What the library has to tell people in passing, beside its results: a
 * reminder that has no channel to go to, a fold of reminders missed while
 * the daemon was down.  Library code never prints (err.h); it hands such
 * a line to the handler the front end set (nudged: its log), or drops it
 * when none is set.  The model is pkg's event callbacks.
 */
#ifndef NUDGE_NOTICE_H
#define NUDGE_NOTICE_H

enum notice_level {
	NOTICE_INFO,
	NOTICE_WARN,
};

typedef void notice_fn(enum notice_level level, const char *msg);

/* Set (NULL: unset) the process's handler; before any thread starts. */
void notice_set_handler(notice_fn *fn);
void notice(enum notice_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
