#include "mail_body.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "config.h"
#include "link.h"
#include "reminder.h"
#include "time_format.h"
#include "time_zone.h"
#include "words.h"

#define MAIL_ROWS 5

struct mail_row {
	const char *label;
	char *value;                    /* NULL: the row is left out */
};

/* "Tue 2026-12-01 09:30 (Europe/Stockholm)", or with day_only "Tue
 * 2026-12-01", the weekday in lang; "" when t is not set. */
static void
mail_when(time_t t, const char *zone, enum lang lang, int day_only,
    char *buf, size_t len)
{
	char day[16], clock[8];
	const char *wd;

	buf[0] = '\0';
	if (t == 0 || timeutil_format_date(timeutil_local_day(zone, t), day,
	    sizeof(day)) != 0 || timeutil_format_clock(
	    timeutil_local_minute(zone, t), clock, sizeof(clock)) != 0)
		return;
	/* The weekdays are in words.def in order, Monday first. */
	wd = word(lang, (enum word)(W_MON + timeutil_local_weekday(zone, t)));
	if (day_only)
		snprintf(buf, len, "%s %s", wd, day);
	else
		snprintf(buf, len, "%s %s %s (%s)", wd, day, clock,
		    zone != NULL ? zone : "UTC");
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
mail_deal(const struct reminder *r, enum lang lang)
{
	const struct deal *d = &r->deal;
	char value[64] = "", closes[64];

	if (d->has_value)
		snprintf(value, sizeof(value), ", %lld.%02lld%s%s",
		    (long long)(d->value_minor / 100),
		    (long long)(d->value_minor % 100),
		    d->currency != NULL ? " " : "",
		    d->currency != NULL ? d->currency : "");
	mail_when(d->closes_at, r->zone, lang, 1, closes, sizeof(closes));
	return mail_fmt("%s (%s%s)%s%s%s%s", d->title, d->stage, value,
	    closes[0] != '\0' ? ", " : "", closes[0] != '\0' ?
	    word(lang, W_CLOSES) : "", closes[0] != '\0' ? " " : "", closes);
}

/* "Send the quote, to Bo, due Tue 2026-12-01 17:00 (...)". */
static char *
mail_promise(const struct reminder *r, enum lang lang)
{
	const struct promise *p = &r->promise;
	char due[64];

	mail_when(p->due_at, r->zone, lang, 0, due, sizeof(due));
	return mail_fmt("%s%s%s%s%s, %s %s", p->text,
	    p->promised_to != NULL ? ", " : "",
	    p->promised_to != NULL ? word(lang, W_TO) : "",
	    p->promised_to != NULL ? " " : "",
	    p->promised_to != NULL ? p->promised_to : "",
	    word(lang, W_DUE_LOWER), due);
}

/* The rows both bodies show; -1 when out of memory. */
static int
mail_rows(struct mail_row *rows, const struct reminder *r, enum lang lang)
{
	const struct config_person *o = r->owner;
	time_t due = r->followup.due_at != 0 ? r->followup.due_at :
	    r->followup.remind_at;
	char when[64];

	memset(rows, 0, MAIL_ROWS * sizeof(*rows));
	mail_when(due, r->zone, lang, 0, when, sizeof(when));
	rows[0].label = word(lang, W_FOR);
	rows[0].value = o != NULL && o->name != NULL ? mail_fmt("%s (%s)",
	    o->name, r->followup.owner) : mail_fmt("%s", r->followup.owner);
	rows[1].label = word(lang, W_DUE);
	rows[1].value = mail_fmt("%s", when);
	rows[2].label = word(lang, W_ACCOUNT);
	rows[3].label = word(lang, W_DEAL);
	rows[4].label = word(lang, W_PROMISE);
	if (rows[0].value == NULL || rows[1].value == NULL ||
	    (r->followup.account != NULL && (rows[2].value = mail_fmt("%s",
	    r->followup.account)) == NULL) ||
	    (r->deal.id != 0 && (rows[3].value = mail_deal(r, lang)) ==
	    NULL) || (r->promise.id != 0 && (rows[4].value = mail_promise(r,
	    lang)) == NULL))
		return -1;
	return 0;
}

/* The most items of a folded message listed with their links (the
 * message's text lists as many: lib/schedule.c). */
#define MAIL_ITEM_LINKS_MAX 40

/* Items [0, *shown) of r have a link to list; the count not listed. */
static size_t
mail_items(const struct reminder *r, size_t *shown)
{
	*shown = 0;
	if (r->item_links == NULL)
		return 0;
	*shown = r->nitems < MAIL_ITEM_LINKS_MAX ? r->nitems :
	    MAIL_ITEM_LINKS_MAX;
	return r->nitems - *shown;
}

/* How much of the text to show: a folded message whose items are listed
 * with their links (mail_text_items) shows only its heading line, not
 * the same items a second time. */
static int
mail_text_len(const struct reminder *r)
{
	const char *nl = strchr(r->followup.text, '\n');
	size_t n;

	mail_items(r, &n);
	if (n > 0 && nl != NULL)
		return (int)(nl - r->followup.text);
	return (int)strlen(r->followup.text);
}

/* A folded message's reminders, each with the link to its own page
 * (unless its text already holds it, from its {{link}}). */
static void
mail_text_items(FILE *f, const struct reminder *r, enum lang lang)
{
	size_t i, n, more = mail_items(r, &n);

	if (n == 0)
		return;
	fprintf(f, "\n%s\n", word(lang, W_MAIL_ITEMS_LINE));
	for (i = 0; i < n; i++) {
		fprintf(f, "  - %s%s%s%s\n", r->items[i].text,
		    r->items[i].account != NULL ? " [" : "",
		    r->items[i].account != NULL ? r->items[i].account : "",
		    r->items[i].account != NULL ? "]" : "");
		if (link_url_safe(r->item_links[i]) &&
		    strstr(r->items[i].text, r->item_links[i]) == NULL)
			fprintf(f, "    %s\n", r->item_links[i]);
	}
	if (more > 0)
		fprintf(f, "  %s %zu %s: nudge agenda\n", word(lang, W_AND),
		    more, word(lang, W_MAIL_ITEMS_MORE));
}

/* The plain text, the reminder's text its first len bytes. */
static void
mail_text(FILE *f, const struct reminder *r, int len,
    const struct mail_row *rows, enum lang lang, const char *delivery_id)
{
	long long id = (long long)r->followup.id;
	int i, w[MAIL_ROWS], width = 0;

	/* The values in one column after the widest label and its colon
	 * (in characters: a monospaced font's width). */
	for (i = 0; i < MAIL_ROWS; i++)
		if ((w[i] = (int)g_utf8_strlen(rows[i].label, -1)) > width)
			width = w[i];
	fprintf(f, "%.*s\n\n", len, r->followup.text);
	for (i = 0; i < MAIL_ROWS; i++)
		if (rows[i].value != NULL)
			fprintf(f, "%s:%*s%s\n", rows[i].label,
			    width + 1 - w[i], "", rows[i].value);
	/* The link on a line of its own: mail clients make it clickable,
	 * and one that wraps long lines leaves it whole. */
	if (link_url_safe(r->link))
		fprintf(f, "\n%s\n    %s\n", word(lang, W_MAIL_LINK_LINE),
		    r->link);
	mail_text_items(f, r, lang);
	fprintf(f, "\n%s\n    nudge followup done %lld\n%s\n"
	    "    nudge followup snooze %lld 1d\n\n-- \n%s %s, %s %lld\n",
	    word(lang, W_MAIL_WHAT_TO_DO), id, word(lang, W_MAIL_OR_PUT_OFF),
	    id, word(lang, W_MAIL_SIG_REMINDER), delivery_id,
	    word(lang, W_MAIL_SIG_FOLLOWUP), id);
}

/* s with &, <, >, " and ' as HTML character references; newlines as
 * <br> where br is set. */
static void
mail_html_putn(FILE *f, const char *s, size_t n, int br)
{
	for (; n > 0 && *s != '\0'; s++, n--)
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

static void
mail_html_put(FILE *f, const char *s, int br)
{
	mail_html_putn(f, s, strlen(s), br);
}

/* The action link as a button: a link styled inline (mail clients drop
 * style sheets), white on blue at 7:1.  The url is one link_url_safe()
 * passed, and escaped all the same. */
static void
mail_html_button(FILE *f, const char *link, enum lang lang)
{
	if (!link_url_safe(link))
		return;
	fputs("<p><a href=\"", f);
	mail_html_put(f, link, 0);
	fputs("\" style=\"display:inline-block;padding:10px 18px;"
	    "background:#1a4f99;color:#ffffff;text-decoration:none;"
	    "border-radius:4px;font-weight:bold\">", f);
	mail_html_put(f, word(lang, W_MAIL_BUTTON), 0);
	fputs("</a> ", f);
	mail_html_put(f, word(lang, W_MAIL_BUTTON_AFTER), 0);
	fputs("</p>\n", f);
}

static void
mail_html_items(FILE *f, const struct reminder *r, enum lang lang)
{
	size_t i, n, more = mail_items(r, &n);

	if (n == 0)
		return;
	fputs("<p>", f);
	mail_html_put(f, word(lang, W_MAIL_ITEMS_LINE), 0);
	fputs("</p>\n<ul>\n", f);
	for (i = 0; i < n; i++) {
		fputs("<li>", f);
		if (link_url_safe(r->item_links[i])) {
			fputs("<a href=\"", f);
			mail_html_put(f, r->item_links[i], 0);
			fputs("\">", f);
		}
		mail_html_put(f, r->items[i].text, 0);
		if (link_url_safe(r->item_links[i]))
			fputs("</a>", f);
		if (r->items[i].account != NULL) {
			fputs(" (", f);
			mail_html_put(f, r->items[i].account, 0);
			fputc(')', f);
		}
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
	if (more > 0) {
		fputs("<p>", f);
		mail_html_put(f, word(lang, W_AND), 0);
		fprintf(f, " %zu ", more);
		mail_html_put(f, word(lang, W_MAIL_ITEMS_MORE), 0);
		fputs(": nudge agenda</p>\n", f);
	}
}

/* The HTML, the reminder's text its first len bytes as mail_text(). */
static void
mail_html(FILE *f, const struct reminder *r, int len,
    const struct mail_row *rows, enum lang lang, const char *delivery_id,
    const char *subject)
{
	long long id = (long long)r->followup.id;
	int i;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta "
	    "charset=\"utf-8\"><title>", words_langs[lang]);
	mail_html_put(f, subject, 0);
	fputs("</title></head>\n<body>\n<p><strong>", f);
	mail_html_putn(f, r->followup.text, (size_t)len, 1);
	fputs("</strong></p>\n<table>\n", f);
	for (i = 0; i < MAIL_ROWS; i++)
		if (rows[i].value != NULL) {
			fputs("<tr><th align=\"left\">", f);
			mail_html_put(f, rows[i].label, 0);
			fputs("</th><td>", f);
			mail_html_put(f, rows[i].value, 1);
			fputs("</td></tr>\n", f);
		}
	fputs("</table>\n", f);
	mail_html_button(f, r->link, lang);
	mail_html_items(f, r, lang);
	fputs("<p>", f);
	mail_html_put(f, word(lang, W_MAIL_WHAT_TO_DO), 0);
	fprintf(f, "</p>\n<pre>nudge followup done %lld</pre>\n<p>", id);
	mail_html_put(f, word(lang, W_MAIL_OR_PUT_OFF), 0);
	fprintf(f, "</p>\n<pre>nudge followup snooze %lld 1d</pre>\n"
	    "<p style=\"color:#777\">", id);
	mail_html_put(f, word(lang, W_MAIL_SIG_REMINDER), 0);
	fputc(' ', f);
	mail_html_put(f, delivery_id, 0);
	fputs(", ", f);
	mail_html_put(f, word(lang, W_MAIL_SIG_FOLLOWUP), 0);
	fprintf(f, " %lld</p>\n</body></html>\n", id);
}

int
mail_body_make(struct mail_body *b, const struct reminder *r,
    const char *delivery_id, const char *subject)
{
	struct mail_row rows[MAIL_ROWS];
	enum lang lang = reminder_lang(r);
	FILE *t = NULL, *h = NULL;
	int rc = -1, i, len;

	memset(b, 0, sizeof(*b));
	if (mail_rows(rows, r, lang) != 0 ||
	    (t = open_memstream(&b->text, &b->text_len)) == NULL ||
	    (h = open_memstream(&b->html, &b->html_len)) == NULL)
		goto out;
	len = mail_text_len(r);
	mail_text(t, r, len, rows, lang, delivery_id);
	mail_html(h, r, len, rows, lang, delivery_id, subject);
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
