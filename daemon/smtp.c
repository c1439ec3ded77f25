#include "smtp.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "reminder.h"
#include "transfer.h"

#define SMTP_SUBJECT_MAX 120

/* The address inside "Name <addr>", or the whole string. */
static char *
smtp_address(const char *from)
{
	const char *lt = strchr(from, '<'), *gt;
	char *out = NULL;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL) {
		if (asprintf(&out, "<%.*s>", (int)(gt - lt - 1), lt + 1) < 0)
			return NULL;
		return out;
	}
	if (asprintf(&out, "<%s>", from) < 0)
		return NULL;
	return out;
}

/* RFC 2047 encoded word for any UTF-8 subject. */
static char *
smtp_subject(const char *text)
{
	unsigned char b64[4 * ((SMTP_SUBJECT_MAX * 4 + 2) / 3) + 1];
	char cut[SMTP_SUBJECT_MAX * 4 + 1], *out = NULL;
	size_t len = 0, chars = 0;

	/* Up to SMTP_SUBJECT_MAX characters, never splitting a UTF-8
	 * sequence. */
	while (text[len] != '\0' && text[len] != '\n' &&
	    chars < SMTP_SUBJECT_MAX) {
		len++;
		while (((unsigned char)text[len] & 0xc0) == 0x80)
			len++;
		chars++;
	}
	memcpy(cut, text, len);
	cut[len] = '\0';
	EVP_EncodeBlock(b64, (unsigned char *)cut, (int)len);
	if (asprintf(&out, "Subject: =?UTF-8?B?%s?=", (char *)b64) < 0)
		return NULL;
	return out;
}

static int
smtp_header(struct transfer *t, const char *line)
{
	struct curl_slist *l;

	if (line == NULL || (l = curl_slist_append(t->headers, line)) == NULL)
		return -1;
	t->headers = l;
	return 0;
}

/* Date, Message-ID (the sender's domain on its right side), From, To,
 * Subject and Auto-Submitted. */
static int
smtp_headers(struct transfer *t, const struct config_channel *ch,
    const struct reminder *r, const char *from, const char *to,
    const char *subject, time_t now)
{
	char *h = NULL, date[64], host[256];
	struct tm tm;
	int rc;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "Date: %a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(host, sizeof(host), "%s", strchr(from, '@') != NULL ?
	    strchr(from, '@') + 1 : "nudge.invalid>");
	host[strcspn(host, ">")] = '\0';
	if (asprintf(&h, "Message-ID: <%s@%s>", t->delivery_id, host) < 0)
		return -1;
	rc = smtp_header(t, date) != 0 || smtp_header(t, h) != 0;
	free(h);
	if (rc != 0 || asprintf(&h, "From: %s", ch->from) < 0)
		return -1;
	rc = smtp_header(t, h);
	free(h);
	if (rc != 0 || asprintf(&h, "To: %s%s%s", r->owner->name != NULL ?
	    r->owner->name : "", r->owner->name != NULL ? " " : "", to) < 0)
		return -1;
	rc = smtp_header(t, h) != 0 || smtp_header(t, subject) != 0 ||
	    smtp_header(t, "Auto-Submitted: auto-generated") != 0;
	free(h);
	return rc ? -1 : 0;
}

static void
smtp_set_options(struct transfer *t, const struct config_channel *ch,
    const char *from, const char *password, long timeout_ms)
{
	curl_easy_setopt(t->easy, CURLOPT_URL, ch->url);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(t->easy, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(t->easy, CURLOPT_MAIL_RCPT, t->rcpt);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(t->easy, CURLOPT_MIMEPOST, t->mime);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(t->easy, CURLOPT_USE_SSL, ch->tls_required ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (ch->username != NULL)
		curl_easy_setopt(t->easy, CURLOPT_USERNAME, ch->username);
	if (password != NULL)
		curl_easy_setopt(t->easy, CURLOPT_PASSWORD, password);
}

int
smtp_prepare(struct transfer *t, const struct config_channel *ch,
    const struct reminder *r, const char *password, time_t now,
    long timeout_ms, char **errp)
{
	char *from = NULL, *to = NULL, *subject = NULL, *body = NULL,
	    *line = NULL;
	curl_mimepart *part;
	struct curl_slist *l;
	int rc = -1;

	if (r->owner == NULL || r->owner->email == NULL)
		return err_set(errp, "owner '%s' has no email address",
		    r->followup.owner);
	if ((from = smtp_address(ch->from)) == NULL ||
	    (to = smtp_address(r->owner->email)) == NULL ||
	    (subject = smtp_subject(r->followup.text)) == NULL ||
	    (line = reminder_line(r)) == NULL) {
		err_set(errp, "out of memory");
		goto out;
	}
	if ((l = curl_slist_append(NULL, to)) == NULL)
		goto oom;
	t->rcpt = l;
	if (smtp_headers(t, ch, r, from, to, subject, now) != 0)
		goto oom;
	if (asprintf(&body, "%s\r\n\r\n-- \r\nnudge reminder %s, follow-up "
	    "%lld\r\n", line, t->delivery_id,
	    (long long)r->followup.id) < 0)
		goto oom;

	t->mime = curl_mime_init(t->easy);
	part = curl_mime_addpart(t->mime);
	if (t->mime == NULL || part == NULL ||
	    curl_mime_data(part, body, CURL_ZERO_TERMINATED) != CURLE_OK ||
	    curl_mime_type(part, "text/plain; charset=UTF-8") != CURLE_OK ||
	    curl_mime_encoder(part, "quoted-printable") != CURLE_OK)
		goto oom;

	smtp_set_options(t, ch, from, password, timeout_ms);
	transfer_tls(t, ch);
	rc = 0;
	goto out;
oom:
	err_set(errp, "out of memory");
out:
	free(from);
	free(to);
	free(subject);
	free(body);
	free(line);
	return rc;
}
