#include "mail_message.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "mail_body.h"
#include "reminder.h"

int
mail_split(const char *spec, char **name, char **addr)
{
	const char *lt = strrchr(spec, '<'), *gt = NULL, *b = spec, *e;
	char *o;

	*name = *addr = NULL;
	if (lt != NULL && (gt = strchr(lt, '>')) != NULL) {
		*addr = strndup(lt + 1, (size_t)(gt - lt - 1));
		e = lt;
	} else
		e = spec + strlen(spec);
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (gt == NULL)
		*addr = strndup(b, (size_t)(e - b));
	else if (e > b) {
		/* A name quoted in the configuration is read as people see
		 * it; GMime quotes it again as it needs. */
		if (e - b >= 2 && *b == '"' && e[-1] == '"') {
			b++;
			e--;
		}
		if ((*name = o = malloc((size_t)(e - b) + 1)) == NULL)
			goto fail;
		for (; b < e; b++) {
			if (*b == '\\' && b + 1 < e)
				b++;
			*o++ = *b;
		}
		*o = '\0';
	}
	if (*addr != NULL && strchr(*addr, '@') != NULL)
		return 0;
fail:
	free(*name);
	free(*addr);
	*name = *addr = NULL;
	return -1;
}

/* The byte after the UTF-8 sequence at s[at], and the one before. */
static size_t
mail_next(const char *s, size_t at)
{
	at++;
	while (((unsigned char)s[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static size_t
mail_prev(const char *s, size_t at)
{
	at--;
	while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
		at--;
	return at;
}

/* A combining mark (U+0300..U+036F) belongs with the letter before it:
 * a cut there would leave the letter bare. */
static int
mail_combining(const unsigned char *s)
{
	return (s[0] == 0xcc && s[1] >= 0x80) || (s[0] == 0xcd && s[1] < 0xb0);
}

char *
mail_subject(const char *text)
{
	size_t at = 0, keep = 0, rest;
	int n = 0, more;
	char *out = NULL;

	while (text[at] != '\0' && text[at] != '\n' && text[at] != '\r') {
		if (n == MAIL_SUBJECT_MAX - 1)
			keep = at;
		if (n == MAIL_SUBJECT_MAX)
			break;
		at = mail_next(text, at);
		n++;
	}
	rest = at + strspn(text + at, " \t\r\n");
	more = text[rest] != '\0';
	if (!more || n < MAIL_SUBJECT_MAX)
		keep = at;
	while (more && keep > 0 &&
	    mail_combining((const unsigned char *)text + keep))
		keep = mail_prev(text, keep);
	while (keep > 0 && (text[keep - 1] == ' ' || text[keep - 1] == '\t'))
		keep--;
	if (asprintf(&out, "%.*s%s", (int)keep, text,
	    more ? "\xe2\x80\xa6" : "") < 0)
		return NULL;
	return out;
}

/* GMime once, on the loop: its charset tables and types. */
static GMimeFormatOptions *
mail_format(void)
{
	static GMimeFormatOptions *opts;

	if (opts == NULL) {
		g_mime_init();
		opts = g_mime_format_options_new();
		g_mime_format_options_set_newline_format(opts,
		    GMIME_NEWLINE_FORMAT_DOS);
	}
	return opts;
}

/* A UTF-8 text part (quoted-printable: readable in the source). */
static GMimeObject *
mail_part(const char *subtype, const char *body, size_t len)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(body, len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	GMimeTextPart *p = g_mime_text_part_new_with_subtype(subtype);

	g_mime_part_set_content(GMIME_PART(p), w);
	g_mime_text_part_set_charset(p, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(p),
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_object_unref(w);
	g_object_unref(s);
	return GMIME_OBJECT(p);
}

static void
mail_mailbox(GMimeMessage *m, GMimeAddressType type, const char *name,
    const char *addr)
{
	InternetAddress *a = internet_address_mailbox_new(name, addr);

	/* UTF-8 rather than the smallest charset that fits (Latin-1 for
	 * åäö): one charset for the whole message. */
	internet_address_set_charset(a, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(m, type), a);
	g_object_unref(a);
}

/* Date, From, To, Subject, Message-ID, Auto-Submitted. */
static void
mail_headers(GMimeMessage *m, const struct reminder *r,
    const struct mail_head *h, const char *from_name, const char *from,
    const char *subject)
{
	const char *domain = h->id_domain != NULL ? h->id_domain :
	    strrchr(from, '@') + 1;
	GDateTime *date = g_date_time_new_from_unix_utc(h->date);
	char *id = g_strdup_printf("%s@%s", h->delivery_id, domain);

	g_mime_message_set_date(m, date);
	g_date_time_unref(date);
	mail_mailbox(m, GMIME_ADDRESS_TYPE_FROM, from_name, from);
	mail_mailbox(m, GMIME_ADDRESS_TYPE_TO, r->owner->name,
	    r->owner->email);
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_message_id(m, id);
	g_free(id);
	g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted",
	    "auto-generated", NULL);
}

/* The message around the two bodies; GMime's allocations abort on
 * failure (GLib's rule), ours are checked by the caller. */
static char *
mail_assemble(const struct reminder *r, const struct mail_head *h,
    const char *from_name, const char *from, const char *subject,
    const struct mail_body *b)
{
	GMimeFormatOptions *opts = mail_format();
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeMultipart *alt = g_mime_multipart_new_with_subtype(
	    "alternative");
	GMimeObject *text = mail_part("plain", b->text, b->text_len),
	    *html = mail_part("html", b->html, b->html_len);
	char *s;

	mail_headers(m, r, h, from_name, from, subject);
	g_mime_multipart_add(alt, text);
	g_mime_multipart_add(alt, html);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(alt));
	g_object_unref(text);
	g_object_unref(html);
	g_object_unref(alt);
	s = g_mime_object_to_string(GMIME_OBJECT(m), opts);
	g_object_unref(m);
	return s;
}

char *
mail_message(const struct reminder *r, const struct mail_head *h,
    size_t *len, char **errp)
{
	struct mail_body b = { 0 };
	char *from_name = NULL, *from = NULL, *subject = NULL, *g = NULL,
	    *out = NULL;

	if (r->owner == NULL || r->owner->email == NULL) {
		err_set(errp, "owner '%s' has no email address",
		    r->followup.owner);
		return NULL;
	}
	if (mail_split(h->from, &from_name, &from) != 0) {
		err_set(errp, "sender '%s' has no address", h->from);
		return NULL;
	}
	if ((subject = mail_subject(r->followup.text)) == NULL ||
	    mail_body_make(&b, r, h->delivery_id, subject) != 0)
		goto oom;
	g = mail_assemble(r, h, from_name, from, subject, &b);
	*len = strlen(g);
	if ((out = malloc(*len + 1)) == NULL)
		goto oom;
	memcpy(out, g, *len + 1);
	goto done;
oom:
	err_set(errp, "out of memory");
done:
	g_free(g);
	mail_body_clear(&b);
	free(subject);
	free(from_name);
	free(from);
	return out;
}
