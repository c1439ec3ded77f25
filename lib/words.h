/*
 * The words nudge writes itself (pages of the action links, the parts of
 * messages around people's own templates), in a person's language:
 * English, and each language with a GNU gettext catalog, nudge.mo under
 * the locale directory (po/LANG.po; docs/ARCHITECTURE.md says how to
 * add one).
 *
 * Threads: glibc's gettext takes its language from the process's
 * environment (LANGUAGE) or a per-thread locale generated on the system,
 * and setenv() races with any getenv() in another thread.  So
 * words_load() asks gettext once, at start-up while the process has one
 * thread, for every word in every language, and keeps the answers; a
 * lookup afterwards (word()) only reads that table, from any thread.
 */
#ifndef NUDGE_WORDS_H
#define NUDGE_WORDS_H

enum word {
#define WORD(id, text) id,
#include "words.def"
#undef WORD
	W_COUNT
};

/* The languages, as a person's `language` names them. */
enum lang {
	LANG_EN,
	LANG_SV,
	LANG_COUNT
};

/* "en", "sv", ... in enum lang's order, NULL-terminated (the config's
 * values for `language`). */
extern const char *const words_langs[LANG_COUNT + 1];

/* w in lang: its translation when lang's catalog has it, else the
 * English.  The catalogs are read at the first word asked for in another
 * language unless words_load() ran before: a program with threads calls
 * it at start; after that, thread-safe. */
const char *word(enum lang lang, enum word w);

/* The directory the catalogs are read from: $NUDGE_LOCALEDIR when set
 * (the tests' build directory), else the one nudge was built for. */
const char *words_dir(void);

/*
 * Read every catalog there is in words_dir() into the tables.  Call it
 * once, before any other thread starts (it sets LANGUAGE and
 * LC_MESSAGES for a moment and puts them back).  0; -1 with *errp
 * (malloc'd) when a language has a catalog that could not be read (its
 * words stay English; the others are loaded).
 */
int words_load(char **errp);

/* Whether lang's catalog is installed in words_dir() (English: always). */
int words_have(enum lang lang);

/* The language a browser prefers among ours, from its Accept-Language
 * header (NULL or none of ours: English). */
enum lang words_accept(const char *accept_language);

/* A follow-up's or promise's state ("done", "open", ...) in lang; a
 * state without a word is shown as it is. */
const char *words_state(enum lang lang, const char *state);

#endif
