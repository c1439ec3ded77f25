#include "smtp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "mail_message.h"
#include "reminder.h"
#include "transfer.h"

/* curl reads the message from t->body (CURLOPT_READFUNCTION); it does
 * the dot-stuffing of DATA itself. */
static size_t
smtp_read(char *buf, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t k = t->body_len - t->body_sent;

	if (k > size * n)
		k = size * n;
	memcpy(buf, t->body + t->body_sent, k);
	t->body_sent += k;
	return k;
}

/* One reply line from the server into t->reply when it is a refusal (4xx
 * or 5xx): curl's own message keeps only the code ("RCPT failed: 550"),
 * the text says why ("5.1.1 User unknown").  Lines of a multi-line reply
 * are joined; bytes that are not printable ASCII become '?'. */
static void
smtp_reply_line(struct transfer *t, const char *line, size_t len)
{
	size_t have, i;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len < 3 || line[0] < '2' || line[0] > '5')
		return;
	if (line[0] < '4') {
		t->reply_open = 0;
		return;
	}
	if (!t->reply_open)
		t->reply[0] = '\0';
	have = strlen(t->reply);
	if (have > 0 && have + 1 < sizeof(t->reply))
		t->reply[have++] = ' ';
	for (i = len > 4 ? 4 : len; i < len &&
	    have + 1 < sizeof(t->reply); i++)
		t->reply[have++] = line[i] >= 0x20 && line[i] < 0x7f ?
		    line[i] : '?';
	t->reply[have] = '\0';
	t->reply_open = len > 3 && line[3] == '-';
}

/* curl's verbose output, of which only what the server said counts (what
 * nudged sent, AUTH included, is never looked at). */
static int
smtp_debug(CURL *easy, curl_infotype type, char *data, size_t size,
    void *arg)
{
	const char *nl;
	size_t len;

	(void)easy;
	if (type != CURLINFO_HEADER_IN)
		return 0;
	while (size > 0) {
		nl = memchr(data, '\n', size);
		len = nl != NULL ? (size_t)(nl - data) + 1 : size;
		smtp_reply_line(arg, data, len);
		data += len;
		size -= len;
	}
	return 0;
}

static void
smtp_set_options(struct transfer *t, const struct config_channel *ch,
    const char *from, const char *password, long timeout_ms)
{
	curl_easy_setopt(t->easy, CURLOPT_URL, ch->url);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(t->easy, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(t->easy, CURLOPT_MAIL_RCPT, t->rcpt);
	curl_easy_setopt(t->easy, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(t->easy, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(t->easy, CURLOPT_READDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)t->body_len);
	curl_easy_setopt(t->easy, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(t->easy, CURLOPT_DEBUGFUNCTION, smtp_debug);
	curl_easy_setopt(t->easy, CURLOPT_DEBUGDATA, t);
	/* A connection idle longer is closed rather than used: a server
	 * reloaded since would still answer with its old settings. */
	curl_easy_setopt(t->easy, CURLOPT_MAXAGE_CONN,
	    (long)ch->idle.seconds);
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
	struct mail_head h = { ch->from, t->delivery_id,
	    ch->message_id_domain, now };
	char *name = NULL, *from = NULL, *env = NULL, *to = NULL;
	struct curl_slist *l;
	int rc = -1;

	if ((t->body = mail_message(r, &h, &t->body_len, errp)) == NULL)
		return -1;
	/* The envelope: what the headers say, in angle brackets. */
	if (mail_split(ch->from, &name, &from) != 0 ||
	    asprintf(&env, "<%s>", from) < 0 ||
	    asprintf(&to, "<%s>", r->owner->email) < 0 ||
	    (l = curl_slist_append(NULL, to)) == NULL) {
		err_set(errp, "out of memory");
		goto out;
	}
	t->rcpt = l;
	smtp_set_options(t, ch, env, password, timeout_ms);
	transfer_tls(t, ch);
	rc = 0;
out:
	free(name);
	free(from);
	free(env);
	free(to);
	return rc;
}
