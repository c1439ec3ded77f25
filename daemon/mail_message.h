/*
 * A reminder as an email message (RFC 5322, MIME 2045-2047), built with
 * GMime: display names quoted or encoded as each needs, encoded words
 * folded, a text/plain part and a text/html alternative saying the same.
 * Headers are always 7-bit (RFC 2047 encoded words): GMime 3 writes no
 * RFC 6532 8-bit headers, and libcurl does not tell whether the server
 * offers SMTPUTF8, so this works with every server.  The bytes only; the
 * transport is smtp.c.  Runs on nudged's loop (the time zone is set to
 * write the due time in the person's zone).
 */
#ifndef NUDGED_MAIL_MESSAGE_H
#define NUDGED_MAIL_MESSAGE_H

#include <stddef.h>
#include <time.h>

struct reminder;

/* The subject's longest, in characters, "…" included. */
#define MAIL_SUBJECT_MAX 100

struct mail_head {
	const char *from;               /* the channel's sender */
	const char *delivery_id;        /* the Message-ID's left side */
	const char *id_domain;          /* its right side; NULL: the
					   sender's domain */
	time_t date;
};

/* A sender or recipient as configured, "Name <addr>", "\"Name\" <addr>",
 * "<addr>" or "addr": the name as people read it (*name NULL: none) and
 * the address, both malloc'd.  -1: out of memory or no address. */
int mail_split(const char *spec, char **name, char **addr);
/* The subject: the text's first line, cut on a character boundary to
 * MAIL_SUBJECT_MAX characters with "…" when it goes on.  Malloc'd. */
char *mail_subject(const char *text);
/* The whole message for r's owner, CRLF line ends, *len bytes
 * (malloc'd, NUL-terminated). */
char *mail_message(const struct reminder *r, const struct mail_head *h,
    size_t *len, char **errp);

#endif
