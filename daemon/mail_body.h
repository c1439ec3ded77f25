/*
 * What a reminder email says, once as plain text and once as HTML (every
 * field escaped): the reminder, for whom, due when in the person's zone,
 * the account, the deal or promise it belongs to, and what to do.  Both
 * are made from one list of rows, so they say the same.
 */
#ifndef NUDGED_MAIL_BODY_H
#define NUDGED_MAIL_BODY_H

#include <stddef.h>

struct reminder;

struct mail_body {
	char *text, *html;              /* UTF-8, "\n" line ends */
	size_t text_len, html_len;
};

/* 0, or -1 when out of memory (b is cleared). */
int mail_body_make(struct mail_body *b, const struct reminder *r,
    const char *delivery_id, const char *subject);
void mail_body_clear(struct mail_body *b);

#endif
