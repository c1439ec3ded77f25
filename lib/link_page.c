/* The action pages: see link_page.h.  Everything from the database is
 * escaped on its way into the HTML (lp_esc()); the page's own words are
 * constants. */
#include "link_page.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "time_format.h"

/* A word of the page in the language of its view v (struct link_view). */
#define LP_(v, w) word((v)->lang, (w))

/* Readable on a phone, contrast above 7:1 (WCAG AAA for the text, AA for
 * the buttons), a focus ring that shows. */
static const char lp_style[] =
    "body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;padding:1rem;"
    "max-width:36rem;color:#111;background:#fff}"
    "h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.5rem}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
    "dt{font-weight:600}dd{margin:0}"
    "form{border:1px solid #555;border-radius:.4rem;padding:.8rem;"
    "margin:1rem 0}"
    "label{display:block;margin:.3rem 0}"
    "textarea,input[type=date]{font:inherit;width:100%;box-sizing:border-box;"
    "padding:.4rem;border:1px solid #333}"
    "button{font:inherit;padding:.6rem 1.2rem;margin-top:.5rem;"
    "background:#0b3d91;color:#fff;border:0;border-radius:.3rem}"
    "button:focus,input:focus,textarea:focus{outline:3px solid #c60;"
    "outline-offset:2px}"
    ".said{background:#e6f4ea;border-left:4px solid #1e6b34;padding:.5rem}"
    ".refused{background:#fde8e8;border-left:4px solid #a11;padding:.5rem}"
    "ol{padding-left:1.2rem}";

int
link_page_csp(char *buf, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	int n;

	if (EVP_Digest(lp_style, strlen(lp_style), md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		return -1;
	EVP_EncodeBlock(b64, md, (int)mdlen);
	n = snprintf(buf, len, "default-src 'none'; style-src 'sha256-%s'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	    (const char *)b64);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* s as HTML text or attribute value; a {{link}} left in a reminder's
 * text is the page itself, said by nothing. */
static void
lp_esc(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (strncmp(s, LINK_MARKER, sizeof(LINK_MARKER) - 1) == 0)
			s += sizeof(LINK_MARKER) - 2;
		else switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

/* "2026-12-01 09:30" in zone. */
static void
lp_time(FILE *f, time_t t, const char *zone)
{
	char iso[TIMEUTIL_ISO_MAX];

	if (timeutil_format_iso(t, zone, iso, sizeof(iso)) != 0) {
		fputs("?", f);
		return;
	}
	iso[10] = ' ';
	iso[16] = '\0';
	fputs(iso, f);
}

static void
lp_head(FILE *f, enum lang lang, const char *title)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\""
	    "width=device-width,initial-scale=1\"><meta name=\"robots\" "
	    "content=\"noindex\"><title>", words_langs[(unsigned)lang <
	    LANG_COUNT ? lang : LANG_EN]);
	lp_esc(f, title);
	fprintf(f, " - nudge</title><style>%s</style></head><body><main>"
	    "<h1>", lp_style);
	lp_esc(f, title);
	fputs("</h1>\n", f);
}

static char *
lp_close(FILE *f, char **out)
{
	fputs("</main></body></html>\n", f);
	if (fclose(f) != 0) {
		free(*out);
		return NULL;
	}
	return *out;
}

/* One row of the facts: <dt>name</dt><dd>value</dd>. */
static void
lp_fact(FILE *f, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fprintf(f, "<dt>%s</dt><dd>", name);
	lp_esc(f, value);
	fputs("</dd>", f);
}

static void
lp_fact_time(FILE *f, const char *name, int64_t t, const char *zone)
{
	if (t == 0)
		return;
	fprintf(f, "<dt>%s</dt><dd>", name);
	lp_time(f, (time_t)t, zone);
	fputs("</dd>", f);
}

static void
lp_facts(FILE *f, const struct link_view *v)
{
	const struct followup *fu = v->followup;
	const struct promise *p = v->promise;

	fputs("<dl>", f);
	lp_fact(f, LP_(v, W_ACCOUNT), fu->id != 0 ? fu->account : p->account);
	if (v->deal->id != 0)
		lp_fact(f, LP_(v, W_DEAL), v->deal->title);
	if (p->id != 0) {
		lp_fact(f, LP_(v, W_PROMISE), p->text);
		lp_fact(f, LP_(v, W_PROMISED_TO), p->promised_to);
		lp_fact_time(f, LP_(v, W_PROMISE_DUE), p->due_at, v->zone);
		lp_fact(f, LP_(v, W_PROMISE_STATE), words_state(v->lang,
		    p->state));
	}
	if (fu->id != 0) {
		lp_fact(f, LP_(v, W_OWNER), fu->owner);
		lp_fact_time(f, LP_(v, W_DUE), fu->due_at, v->zone);
		lp_fact_time(f, LP_(v, W_REMINDER), fu->remind_at, v->zone);
		lp_fact(f, LP_(v, W_STATE), words_state(v->lang, fu->state));
		lp_fact(f, LP_(v, W_NOTE), fu->note);
	}
	fputs("</dl>\n", f);
}

static void
lp_history(FILE *f, const struct link_view *v)
{
	size_t i;

	if (v->nevents == 0)
		return;
	fprintf(f, "<h2>%s</h2><ol>", LP_(v, W_HISTORY));
	for (i = 0; i < v->nevents; i++) {
		fputs("<li>", f);
		lp_time(f, (time_t)v->events[i].at, v->zone);
		fputs(" ", f);
		lp_esc(f, v->events[i].kind);
		fprintf(f, " (%s ", LP_(v, W_BY));
		lp_esc(f, v->events[i].actor);
		fputs(")</li>", f);
	}
	fputs("</ol>\n", f);
}

/* A form's start: its heading (the label of the form) and action. */
static void
lp_form(FILE *f, const char *id, const char *title, const char *action)
{
	fprintf(f, "<form method=\"post\" aria-labelledby=\"%s\">"
	    "<h2 id=\"%s\">%s</h2><input type=\"hidden\" name=\"action\" "
	    "value=\"%s\">", id, id, title, action);
}

static void
lp_note(FILE *f, const char *id, const char *label)
{
	fprintf(f, "<label for=\"%s\">%s</label><textarea id=\"%s\" "
	    "name=\"note\" rows=\"2\" maxlength=\"%d\"></textarea>", id, label,
	    id, LINK_FIELD_MAX);
}

static void
lp_followup_forms(FILE *f, const struct link_view *v)
{
	static const struct {
		const char *value;
		enum word label;
	} choices[] = {
		{ "1h", W_SNOOZE_1H },
		{ "tomorrow", W_SNOOZE_TOMORROW },
		{ "week", W_SNOOZE_WEEK },
		{ "date", W_SNOOZE_DATE },
	};
	size_t i;

	if (v->link->actions & LINK_DONE) {
		lp_form(f, LINK_ANCHOR_DONE, LP_(v, W_DONE), "done");
		lp_note(f, "done-note", LP_(v, W_NOTE_OPTIONAL));
		fprintf(f, "<button type=\"submit\">%s</button></form>\n",
		    LP_(v, W_MARK_DONE));
	}
	/* A talk with the customer that does not finish the follow-up:
	 * it resets the account's stay-in-touch clock (issue 25). */
	if ((v->link->actions & LINK_CONTACT) && v->followup->account != NULL) {
		lp_form(f, LINK_ANCHOR_CONTACT, LP_(v, W_LOG_CONTACT),
		    "contact");
		lp_note(f, "contact-note", LP_(v, W_WHAT_WAS_SAID));
		fprintf(f, "<button type=\"submit\">%s</button></form>\n",
		    LP_(v, W_LOG_THE_CONTACT));
	}
	if (!(v->link->actions & LINK_SNOOZE))
		return;
	lp_form(f, LINK_ANCHOR_SNOOZE, LP_(v, W_SNOOZE), "snooze");
	fprintf(f, "<fieldset><legend>%s</legend>", LP_(v, W_REMIND_AGAIN));
	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		fprintf(f, "<label><input type=\"radio\" name=\"snooze\" "
		    "value=\"%s\"%s> %s</label>", choices[i].value,
		    i == 1 ? " checked" : "", LP_(v, choices[i].label));
	fprintf(f, "<label for=\"snooze-date\">%s</label><input "
	    "type=\"date\" id=\"snooze-date\" name=\"date\"></fieldset>"
	    "<button type=\"submit\">%s</button></form>\n", LP_(v, W_DATE),
	    LP_(v, W_SNOOZE));
}

static void
lp_promise_forms(FILE *f, const struct link_view *v)
{
	if (v->link->actions & LINK_KEPT) {
		lp_form(f, LINK_ANCHOR_KEPT, LP_(v, W_PROMISE_KEPT), "kept");
		fprintf(f, "<p>%s</p><button type=\"submit\">%s</button>"
		    "</form>\n", LP_(v, W_CUSTOMER_GOT_IT),
		    LP_(v, W_MARK_KEPT));
	}
	if (!(v->link->actions & LINK_RENEGOTIATE))
		return;
	lp_form(f, LINK_ANCHOR_RENEG, LP_(v, W_RENEGOTIATE), "renegotiate");
	fprintf(f, "<label for=\"reneg-date\">%s</label><input type=\"date\" "
	    "id=\"reneg-date\" name=\"date\" required>",
	    LP_(v, W_NEW_DUE_DATE));
	lp_note(f, "reneg-note", LP_(v, W_NOTE));
	fprintf(f, "<button type=\"submit\">%s</button></form>\n",
	    LP_(v, W_RENEGOTIATE));
}

/* What was done already: the second click's answer. */
static int
lp_closed(FILE *f, const struct link_view *v)
{
	const struct followup *fu = v->followup;

	if (fu->id != 0 && (strcmp(fu->state, "done") == 0 ||
	    strcmp(fu->state, "cancelled") == 0)) {
		if (v->said != NULL)
			return 1;       /* this very request did it */
		fprintf(f, "<p class=\"said\" role=\"status\">%s ",
		    strcmp(fu->state, "done") == 0 ? LP_(v, W_ALREADY_DONE) :
		    LP_(v, W_ALREADY_CANCELLED));
		lp_time(f, (time_t)(fu->done_at != 0 ? fu->done_at :
		    fu->updated_at), v->zone);
		fputs(".</p>\n", f);
		return 1;
	}
	return 0;
}

char *
link_page(const struct link_view *v)
{
	const struct followup *fu = v->followup;
	const struct promise *p = v->promise;
	char *out = NULL;
	size_t size = 0;
	FILE *f;
	int closed;

	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	lp_head(f, v->lang, fu->id != 0 ? fu->text : p->text);
	if (v->said != NULL) {
		fputs("<p class=\"said\" role=\"status\">", f);
		lp_esc(f, v->said);
		fputs("</p>\n", f);
	}
	if (v->refused != NULL) {
		fputs("<p class=\"refused\" role=\"alert\">", f);
		lp_esc(f, v->refused);
		fputs("</p>\n", f);
	}
	lp_facts(f, v);
	closed = lp_closed(f, v);
	if (!closed && fu->id != 0)
		lp_followup_forms(f, v);
	if (p->id != 0 && strcmp(p->state, "open") == 0)
		lp_promise_forms(f, v);
	else if (p->id != 0 && (v->link->actions & LINK_KEPT)) {
		fprintf(f, "<p class=\"said\" role=\"status\">%s ",
		    LP_(v, W_PROMISE_IS));
		lp_esc(f, words_state(v->lang, p->state));
		if (p->kept_at != 0) {
			fputs(": ", f);
			lp_time(f, (time_t)p->kept_at, v->zone);
		}
		fputs(".</p>\n", f);
	}
	lp_history(f, v);
	return lp_close(f, &out);
}

char *
link_page_message(enum lang lang, const char *title, const char *text)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f;

	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	lp_head(f, lang, title);
	fputs("<p>", f);
	lp_esc(f, text);
	fputs("</p>\n", f);
	return lp_close(f, &out);
}

char *
link_page_refused(enum lang lang, enum link_verdict why, int *status)
{
	*status = why == LINK_EXPIRED ? 410 : 403;
	if (why == LINK_EXPIRED)
		return link_page_message(lang, word(lang, W_EXPIRED),
		    word(lang, W_EXPIRED_TEXT));
	return link_page_message(lang, word(lang, W_INVALID),
	    word(lang, W_INVALID_TEXT));
}
