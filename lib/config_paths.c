#include "config_paths.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "words.h"

/* Append a formatted message to list; -1 when out of memory. */
static int __attribute__((format(printf, 2, 3)))
config_paths_say(json_t *list, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	n = json_array_append_new(list, json_string(s));
	free(s);
	return n;
}

/* A directory this user writes files into: 1 it is one, 0 a problem
 * was said (*missing when it does not exist), -1 out of memory. */
static int
config_paths_dir(const char *what, const char *dir, const char *user,
    json_t *problems, int *missing)
{
	struct stat sb;

	*missing = 0;
	if (stat(dir, &sb) != 0) {
		if (errno == ENOENT) {
			*missing = 1;
			return 0;
		}
		return config_paths_say(problems, "%s %s: %s", what, dir,
		    strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return config_paths_say(problems, "%s %s is not a directory",
		    what, dir);
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
		return config_paths_say(problems, "%s %s is not writable by "
		    "%s: give %s write access (join the directory's group, "
		    "nudge for a service), or choose a directory %s writes "
		    "to", what, dir, user, user, user);
	return 1;
}

static int
config_paths_database(const char *database, const char *user,
    json_t *problems)
{
	char *copy, *dir;
	int missing, rc;

	if ((copy = strdup(database)) == NULL)
		return -1;
	dir = dirname(copy);
	rc = config_paths_dir("database directory", dir, user, problems,
	    &missing);
	if (rc == 0 && missing)
		rc = config_paths_say(problems, "database directory %s does "
		    "not exist: create it (install -d -m 0770 %s), or set "
		    "'database' (or -d) to a file in a directory that exists",
		    dir, dir);
	free(copy);
	if (rc == 1 && access(database, F_OK) == 0 &&
	    faccessat(AT_FDCWD, database, R_OK | W_OK, AT_EACCESS) != 0)
		rc = config_paths_say(problems, "database %s is not readable "
		    "and writable by %s: give %s access (its group, nudge for "
		    "a service)", database, user, user);
	return rc < 0 ? -1 : 0;
}

/* A person whose language has no catalog installed reads English. */
static int
config_paths_languages(const struct config *cfg, json_t *notes)
{
	const struct config_person *p;
	size_t i;

	for (i = 0; i < cfg->npeople; i++) {
		p = &cfg->people[i];
		if (!words_have((enum lang)p->language) &&
		    config_paths_say(notes, "person '%s': language '%s' has "
		    "no catalog in %s (nudge.mo): their pages and messages "
		    "will be in English", p->handle,
		    words_langs[p->language], words_dir()) != 0)
			return -1;
	}
	return 0;
}

int
config_check_paths(const struct config *cfg, const char *database,
    json_t *problems, json_t *notes, char **errp)
{
	struct passwd *pw = getpwuid(geteuid());
	char user[64];
	int missing, rc;

	if (pw != NULL)
		snprintf(user, sizeof(user), "%s", pw->pw_name);
	else
		snprintf(user, sizeof(user), "uid %ld", (long)geteuid());
	if (config_paths_database(database != NULL ? database :
	    cfg->database, user, problems) != 0)
		return err_set(errp, "out of memory");
	rc = config_paths_dir("runtime_dir", cfg->runtime_dir, user,
	    problems, &missing);
	if (rc == 0 && missing)
		rc = config_paths_say(notes, "runtime_dir %s does not exist "
		    "yet: systemd makes it when it starts nudged "
		    "(RuntimeDirectory=); started any other way, nudged needs "
		    "it made first (install -d -m 0770 %s)", cfg->runtime_dir,
		    cfg->runtime_dir);
	if (rc >= 0)
		rc = config_paths_languages(cfg, notes);
	if (rc < 0)
		return err_set(errp, "out of memory");
	return 0;
}
