/* The words in each language: see words.h. */
#include "words.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "err.h"

#ifndef NUDGE_LOCALEDIR
#define NUDGE_LOCALEDIR "/usr/local/share/locale"
#endif
#define WORDS_DOMAIN "nudge"

/* gettext caches each lookup; a change of LANGUAGE is seen only once
 * this counter moves (the gettext manual, "Being a gettext grok"). */
extern int _nl_msg_cat_cntr;

const char *const words_langs[LANG_COUNT + 1] = { "en", "sv", NULL };

static const char *const words_en[W_COUNT] = {
#define WORD(id, text) [id] = text,
#include "words.def"
#undef WORD
};

/* Each language's translations, malloc'd; NULL: the English. */
static char *words_table[LANG_COUNT][W_COUNT];
/* words_load() has run (whatever it found). */
static int words_loaded;

const char *
word(enum lang lang, enum word w)
{
	char *err = NULL;

	if ((unsigned)w >= W_COUNT)
		return "";
	/* Read at the first word needed in another language: most nudge
	 * commands need none.  nudged reads them at start, before its
	 * threads, so no thread ever loads them here. */
	if (lang != LANG_EN && !words_loaded && words_load(&err) != 0)
		free(err);
	if ((unsigned)lang < LANG_COUNT && words_table[lang][w] != NULL)
		return words_table[lang][w];
	return words_en[w];
}

const char *
words_dir(void)
{
	const char *d = getenv("NUDGE_LOCALEDIR");

	return d != NULL && d[0] != '\0' ? d : NUDGE_LOCALEDIR;
}

int
words_have(enum lang lang)
{
	char path[4096];
	int n;

	if (lang == LANG_EN)
		return 1;
	if ((unsigned)lang >= LANG_COUNT)
		return 0;
	n = snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES/" WORDS_DOMAIN
	    ".mo", words_dir(), words_langs[lang]);
	return n > 0 && (size_t)n < sizeof(path) && access(path, R_OK) == 0;
}

static void
words_forget(void)
{
	size_t l, i;

	for (l = 0; l < LANG_COUNT; l++)
		for (i = 0; i < W_COUNT; i++) {
			free(words_table[l][i]);
			words_table[l][i] = NULL;
		}
}

/* Every word of lang from gettext, LANGUAGE set to it: the number
 * translated, or -1 when out of memory. */
static int
words_ask(enum lang lang)
{
	const char *s;
	int n = 0;
	size_t i;

	if (setenv("LANGUAGE", words_langs[lang], 1) != 0)
		return -1;
	++_nl_msg_cat_cntr;
	for (i = 0; i < W_COUNT; i++) {
		s = dgettext(WORDS_DOMAIN, words_en[i]);
		if (s == words_en[i] || strcmp(s, words_en[i]) == 0)
			continue;
		if ((words_table[lang][i] = strdup(s)) == NULL)
			return -1;
		n++;
	}
	return n;
}

/* LANGUAGE and LC_MESSAGES as they were before words_load(). */
static void
words_restore(char *language, char *messages)
{
	if (language != NULL)
		setenv("LANGUAGE", language, 1);
	else
		unsetenv("LANGUAGE");
	++_nl_msg_cat_cntr;
	if (messages != NULL)
		setlocale(LC_MESSAGES, messages);
	free(language);
	free(messages);
}

int
words_load(char **errp)
{
	const char *old = getenv("LANGUAGE"), *msgs;
	char *language = NULL, *messages = NULL;
	int rc = 0, n;
	size_t l;

	words_loaded = 1;
	words_forget();
	msgs = setlocale(LC_MESSAGES, NULL);
	if ((old != NULL && (language = strdup(old)) == NULL) ||
	    (msgs != NULL && (messages = strdup(msgs)) == NULL)) {
		free(language);
		return err_set(errp, "out of memory");
	}
	/* In the C locale gettext translates nothing; C.UTF-8 needs no
	 * generated locale (Debian's libc-bin ships it). */
	if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL) {
		words_restore(language, messages);
		return err_set(errp, "no C.UTF-8 locale: pages and messages "
		    "stay in English");
	}
	if (bindtextdomain(WORDS_DOMAIN, words_dir()) == NULL ||
	    bind_textdomain_codeset(WORDS_DOMAIN, "UTF-8") == NULL)
		rc = err_set(errp, "out of memory");
	for (l = LANG_EN + 1; rc == 0 && l < LANG_COUNT; l++) {
		if (!words_have((enum lang)l))
			continue;
		if ((n = words_ask((enum lang)l)) < 0)
			rc = err_set(errp, "out of memory");
		else if (n == 0)
			rc = err_set(errp, "%s/%s/LC_MESSAGES/" WORDS_DOMAIN
			    ".mo: no word of it could be read; language "
			    "'%s' stays English", words_dir(), words_langs[l],
			    words_langs[l]);
	}
	words_restore(language, messages);
	return rc;
}

/* Accept-Language's q of one entry ("sv;q=0.8" -> 0.8; no q -> 1). */
static double
words_q(const char *entry, size_t len)
{
	const char *q = memchr(entry, ';', len);

	while (q != NULL && q < entry + len) {
		q++;
		while (*q == ' ')
			q++;
		if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=')
			return strtod(q + 2, NULL);
		q = memchr(q, ';', (size_t)(entry + len - q));
	}
	return 1.0;
}

/* Which of ours an entry's language tag names ("sv-SE" -> sv), or -1. */
static int
words_tag(const char *entry, size_t len)
{
	size_t n = strcspn(entry, ";-_, "), l, k;

	if (n > len)
		n = len;
	for (l = 0; l < LANG_COUNT; l++) {
		k = strlen(words_langs[l]);
		if (n == k && strncasecmp(entry, words_langs[l], k) == 0)
			return (int)l;
	}
	return -1;
}

enum lang
words_accept(const char *accept)
{
	enum lang best = LANG_EN;
	double best_q = 0, q;
	size_t len;
	int l;

	while (accept != NULL && *accept != '\0') {
		accept += strspn(accept, " ,");
		len = strcspn(accept, ",");
		if (len > 0 && (l = words_tag(accept, len)) >= 0 &&
		    (q = words_q(accept, len)) > best_q) {
			best = (enum lang)l;
			best_q = q;
		}
		accept += len;
	}
	return best;
}

const char *
words_state(enum lang lang, const char *state)
{
	static const struct {
		const char *state;
		enum word w;
	} states[] = {
		{ "pending", W_ST_PENDING }, { "notified", W_ST_NOTIFIED },
		{ "done", W_ST_DONE }, { "cancelled", W_ST_CANCELLED },
		{ "open", W_ST_OPEN }, { "kept", W_ST_KEPT },
		{ "broken", W_ST_BROKEN },
	};
	size_t i;

	for (i = 0; state != NULL && i < sizeof(states) / sizeof(states[0]);
	    i++)
		if (strcmp(state, states[i].state) == 0)
			return word(lang, states[i].w);
	return state;
}
