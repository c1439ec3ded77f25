/*
 * The pages of an action link (daemon/http.c serves them): what the
 * reminder is about, its history, and one form per action the link may
 * do.  Server-rendered HTML with no script and no external asset; the
 * one style sheet is inline and allowed by its hash in the
 * Content-Security-Policy (link_page_csp()).  Every word of the page's
 * own is a word() of lib/words.def in the reader's language, the html
 * element's lang with it.
 */
#ifndef NUDGE_LINK_PAGE_H
#define NUDGE_LINK_PAGE_H

#include <stddef.h>
#include <time.h>

#include "deal.h"
#include "event.h"
#include "followup.h"
#include "link.h"
#include "promise.h"
#include "words.h"

/* What one page shows.  Pointers are borrowed. */
struct link_view {
	const struct link *link;
	const struct followup *followup;  /* id 0: the link names a promise */
	const struct promise *promise;    /* id 0: none */
	const struct deal *deal;          /* id 0: none */
	const struct event *events;       /* the subject's history */
	size_t nevents;
	const char *zone;                 /* the owner's */
	enum lang lang;                   /* the owner's */
	time_t now;
	const char *said;                 /* after a POST: what was done */
	const char *refused;              /* after a POST: why not */
};

/* The page of a valid link; malloc'd, NULL when out of memory. */
char *link_page(const struct link_view *v);
/* The page of a link that does nothing (expired, forged, malformed, or
 * naming what is gone), with its HTTP status in *status. */
char *link_page_refused(enum lang lang, enum link_verdict why,
    int *status);
/* A page of one sentence: title and text (escaped here) in lang. */
char *link_page_message(enum lang lang, const char *title,
    const char *text);
/* The Content-Security-Policy of every page: 0, or -1 if it does not fit. */
int link_page_csp(char *buf, size_t len);

#endif
