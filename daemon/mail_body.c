#include "mail_body.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "link.h"
#include "reminder.h"
#include "time_format.h"
#include "time_zone.h"

#define MAIL_ROWS 5
#define MAIL_LABEL_WIDTH 8              /* "Promise:" and a space */

struct mail_row {
	const char *label;
	char *value;                    /* NULL: the row is left out */
};

/* "Tue 2026-12-01 09:30 (Europe/Stockholm)", or with day_only "Tue
 * 2026-12-01"; "" when t is not set. */
static void
mail_when(time_t t, const char *zone, int day_only, char *buf, size_t len)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	    "Sat", "Sun" };
	char day[16], clock[8];

	buf[0] = '\0';
	if (t == 0 || timeutil_format_date(timeutil_local_day(zone, t), day,
	    sizeof(day)) != 0 || timeutil_format_clock(
	    timeutil_local_minute(zone, t), clock, sizeof(clock)) != 0)
		return;
	if (day_only)
		snprintf(buf, len, "%s %s", wd[timeutil_local_weekday(zone,
		    t)], day);
	else
		snprintf(buf, len, "%s %s %s (%s)", wd[timeutil_local_weekday(
		    zone, t)], day, clock, zone != NULL ? zone : "UTC");
}

/* A formatted string, NULL when out of memory. */
static char *mail_fmt(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *
mail_fmt(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&out, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : out;
}

/* "Roof renewal (open, 12000.00 SEK), closes Fri 2026-12-18". */
static char *
mail_deal(const struct reminder *r)
{
	const struct deal *d = &r->deal;
	char value[64] = "", closes[64];

	if (d->has_value)
		snprintf(value, sizeof(value), ", %lld.%02lld%s%s",
		    (long long)(d->value_minor / 100),
		    (long long)(d->value_minor % 100),
		    d->currency != NULL ? " " : "",
		    d->currency != NULL ? d->currency : "");
	mail_when(d->closes_at, r->zone, 1, closes, sizeof(closes));
	return mail_fmt("%s (%s%s)%s%s", d->title, d->stage, value,
	    closes[0] != '\0' ? ", closes " : "", closes);
}

/* "Send the quote, to Bo, due Tue 2026-12-01 17:00 (...)". */
static char *
mail_promise(const struct reminder *r)
{
	const struct promise *p = &r->promise;
	char due[64];

	mail_when(p->due_at, r->zone, 0, due, sizeof(due));
	return mail_fmt("%s%s%s, due %s", p->text,
	    p->promised_to != NULL ? ", to " : "",
	    p->promised_to != NULL ? p->promised_to : "", due);
}

/* The rows both bodies show; -1 when out of memory. */
static int
mail_rows(struct mail_row *rows, const struct reminder *r)
{
	const struct config_person *o = r->owner;
	time_t due = r->followup.due_at != 0 ? r->followup.due_at :
	    r->followup.remind_at;
	char when[64];

	memset(rows, 0, MAIL_ROWS * sizeof(*rows));
	mail_when(due, r->zone, 0, when, sizeof(when));
	rows[0].label = "For";
	rows[0].value = o != NULL && o->name != NULL ? mail_fmt("%s (%s)",
	    o->name, r->followup.owner) : mail_fmt("%s", r->followup.owner);
	rows[1].label = "Due";
	rows[1].value = mail_fmt("%s", when);
	rows[2].label = "Account";
	rows[3].label = "Deal";
	rows[4].label = "Promise";
	if (rows[0].value == NULL || rows[1].value == NULL ||
	    (r->followup.account != NULL && (rows[2].value = mail_fmt("%s",
	    r->followup.account)) == NULL) ||
	    (r->deal.id != 0 && (rows[3].value = mail_deal(r)) == NULL) ||
	    (r->promise.id != 0 && (rows[4].value = mail_promise(r)) == NULL))
		return -1;
	return 0;
}

static void
mail_text(FILE *f, const struct reminder *r, const struct mail_row *rows,
    const char *delivery_id)
{
	long long id = (long long)r->followup.id;
	int i;

	fprintf(f, "%s\n\n", r->followup.text);
	for (i = 0; i < MAIL_ROWS; i++)
		if (rows[i].value != NULL)
			fprintf(f, "%s:%*s%s\n", rows[i].label,
			    (int)(MAIL_LABEL_WIDTH - strlen(rows[i].label)), "",
			    rows[i].value);
	/* The link on a line of its own: mail clients make it clickable,
	 * and one that wraps long lines leaves it whole. */
	if (link_url_safe(r->link))
		fprintf(f, "\nOpen / mark done (or snooze) in your browser:\n"
		    "    %s\n", r->link);
	fprintf(f, "\nWhat to do: do it, then mark the follow-up done:\n"
	    "    nudge followup done %lld\n"
	    "or put it off for a day:\n"
	    "    nudge followup snooze %lld 1d\n\n"
	    "-- \nnudge reminder %s, follow-up %lld\n",
	    id, id, delivery_id, id);
}

/* s with &, <, >, " and ' as HTML character references; newlines as
 * <br> where br is set. */
static void
mail_html_put(FILE *f, const char *s, int br)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n': fputs(br ? "<br>\n" : "\n", f); break;
		default: fputc(*s, f);
		}
}

/* The action link as a button: a link styled inline (mail clients drop
 * style sheets), white on blue at 7:1.  The url is one link_url_safe()
 * passed, and escaped all the same. */
static void
mail_html_button(FILE *f, const char *link)
{
	if (!link_url_safe(link))
		return;
	fputs("<p><a href=\"", f);
	mail_html_put(f, link, 0);
	fputs("\" style=\"display:inline-block;padding:10px 18px;"
	    "background:#1a4f99;color:#ffffff;text-decoration:none;"
	    "border-radius:4px;font-weight:bold\">Open / mark done</a> "
	    "(or snooze it there)</p>\n", f);
}

static void
mail_html(FILE *f, const struct reminder *r, const struct mail_row *rows,
    const char *delivery_id, const char *subject)
{
	long long id = (long long)r->followup.id;
	int i;

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>", f);
	mail_html_put(f, subject, 0);
	fputs("</title></head>\n<body>\n<p><strong>", f);
	mail_html_put(f, r->followup.text, 1);
	fputs("</strong></p>\n<table>\n", f);
	for (i = 0; i < MAIL_ROWS; i++)
		if (rows[i].value != NULL) {
			fprintf(f, "<tr><th align=\"left\">%s</th><td>",
			    rows[i].label);
			mail_html_put(f, rows[i].value, 1);
			fputs("</td></tr>\n", f);
		}
	fputs("</table>\n", f);
	mail_html_button(f, r->link);
	fprintf(f, "<p>What to do: do it, then mark the follow-up "
	    "done:</p>\n<pre>nudge followup done %lld</pre>\n"
	    "<p>or put it off for a day:</p>\n"
	    "<pre>nudge followup snooze %lld 1d</pre>\n"
	    "<p style=\"color:#777\">nudge reminder ", id, id);
	mail_html_put(f, delivery_id, 0);
	fprintf(f, ", follow-up %lld</p>\n</body></html>\n", id);
}

int
mail_body_make(struct mail_body *b, const struct reminder *r,
    const char *delivery_id, const char *subject)
{
	struct mail_row rows[MAIL_ROWS];
	FILE *t = NULL, *h = NULL;
	int rc = -1, i;

	memset(b, 0, sizeof(*b));
	if (mail_rows(rows, r) != 0 ||
	    (t = open_memstream(&b->text, &b->text_len)) == NULL ||
	    (h = open_memstream(&b->html, &b->html_len)) == NULL)
		goto out;
	mail_text(t, r, rows, delivery_id);
	mail_html(h, r, rows, delivery_id, subject);
	rc = 0;
out:
	/* A stream that could not grow reports it when closed. */
	if (t != NULL && fclose(t) != 0)
		rc = -1;
	if (h != NULL && fclose(h) != 0)
		rc = -1;
	for (i = 0; i < MAIL_ROWS; i++)
		free(rows[i].value);
	if (rc != 0)
		mail_body_clear(b);
	return rc;
}

void
mail_body_clear(struct mail_body *b)
{
	free(b->text);
	free(b->html);
	memset(b, 0, sizeof(*b));
}
