/*
 * Reading the configuration file: opening it (so a missing one gets
 * strerror(), not libconfig's "file I/O error"), following its @includes
 * before libconfig does (see config_check_includes()), and libconfig's
 * parse.  What the values mean is lib/config.c's and lib/config_value.c's.
 */
#include "config_table.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

#ifndef NUDGE_SYSCONFDIR
#define NUDGE_SYSCONFDIR "/etc"
#endif

/* libconfig's limit on nested @include (MAX_INCLUDE_DEPTH). */
#define CONFIG_INCLUDE_DEPTH 10

static int config_check_includes(struct config_loader *L, const char *file,
    int depth);

/* One @include NAME found at file:line; see config_check_includes(). */
static int
config_check_include(struct config_loader *L, const char *file, int line,
    const char *name, int depth)
{
	struct stat sb;
	char *full = NULL;
	int rc = 0;

	if (depth == CONFIG_INCLUDE_DEPTH)
		return 1;
	if (asprintf(&full, "%s/%s", L->dir, name) < 0)
		return config_oom(L);
	if (stat(full, &sb) != 0) {
		/* libconfig says it cannot open it (unless the line is in a
		 * comment): config_unopened_at() finds which and why. */
		int error = errno;

		if (L->nunopened < CONFIG_UNOPENED_MAX) {
			struct config_unopened *u =
			    &L->unopened[L->nunopened];

			if ((u->in = strdup(file)) == NULL)
				rc = config_oom(L);
			else {
				u->line = line;
				u->full = full;
				u->error = error;
				full = NULL;
				L->nunopened++;
			}
		}
	} else if (!S_ISREG(sb.st_mode))
		rc = err_set(L->errp, "%s:%d: @include \"%s\": %s is not a "
		    "regular file", file, line, name, full);
	else
		rc = config_check_includes(L, full, depth + 1);
	free(full);
	return rc;
}

/*
 * The NAME of `@include "NAME"`, read after its opening quote the way
 * libconfig's scanner reads it.  0 with name set; 1 for a name libconfig
 * would mangle: a NUL or a newline in it, a backslash other than \\ or \"
 * (the scanner prints those to stdout), or too long; -1 when the file ends
 * first.  Newlines read are added to *line.
 */
static int
config_include_name(FILE *f, char *name, size_t size, int *line)
{
	size_t len = 0;
	int c, bad = 0;

	while ((c = getc(f)) != EOF && c != '"') {
		if (c == '\\') {
			c = getc(f);
			if (c != '\\' && c != '"')
				bad = 1;
			if (c == EOF)
				break;
		}
		if (c == '\n')
			(*line)++;
		if (c < 0x20 || len == size - 1)
			bad = 1;
		else
			name[len++] = (char)c;
	}
	name[len] = '\0';
	return bad ? 1 : c == EOF ? -1 : 0;
}

/*
 * libconfig 1.5 (Debian 12) reads an @included file with a flex scanner
 * that calls exit() when a read fails, as it does on a directory ("input in
 * flex scanner failed"), and opening a FIFO blocks for ever.  So before
 * libconfig reads anything, the @includes are followed here as its scanner
 * finds them (`@include "NAME"` starting a line) and as 1.5 opens them
 * (NAME after the include directory, even when absolute), and one that
 * exists but is not a regular file is refused.  A missing one is left to
 * libconfig, whose message config_load() then completes with the path
 * and the reason remembered here; one nested too deep is left to
 * libconfig's own message.  Lines inside
 * comments are looked at too: a directory named there deserves a message
 * anyway.  Returns 0, 1 when nesting went too deep (stop looking), or -1
 * with the message set.
 */
static int
config_check_includes(struct config_loader *L, const char *file, int depth)
{
	static const char directive[] = "@include";
	char name[PATH_MAX];
	FILE *f;
	size_t i;
	int c, line = 1, at, r, rc = 0;

	if ((f = fopen(file, "r")) == NULL)
		return 0;
	c = getc(f);
	while (c != EOF && rc == 0) {
		/* c is the first character of a line. */
		while (c == ' ' || c == '\t')
			c = getc(f);
		for (i = 0; directive[i] != '\0' && c == directive[i]; i++)
			c = getc(f);
		if (directive[i] == '\0' && (c == ' ' || c == '\t')) {
			while (c == ' ' || c == '\t')
				c = getc(f);
			if (c == '"') {
				at = line;
				r = config_include_name(f, name, sizeof(name),
				    &line);
				if (r > 0)
					rc = err_set(L->errp, "%s:%d: the "
					    "@include name has a control "
					    "character, a stray backslash or "
					    "is too long", file, at);
				else if (r == 0)
					rc = config_check_include(L, file, at,
					    name, depth);
				c = r < 0 ? EOF : getc(f);
			}
		}
		while (c != EOF && c != '\n')
			c = getc(f);
		if (c == '\n') {
			line++;
			c = getc(f);
		}
	}
	fclose(f);
	return rc;
}

/* The @include at in:line that could not be opened; NULL when the
 * includes were followed without finding one there. */
static const struct config_unopened *
config_unopened_at(const struct config_loader *L, const char *in, int line)
{
	size_t i;

	for (i = 0; i < L->nunopened; i++)
		if (L->unopened[i].line == line &&
		    strcmp(L->unopened[i].in, in) == 0)
			return &L->unopened[i];
	return NULL;
}

static void
config_unopened_free(struct config_loader *L)
{
	size_t i;

	for (i = 0; i < L->nunopened; i++) {
		free(L->unopened[i].in);
		free(L->unopened[i].full);
	}
	L->nunopened = 0;
}

/*
 * The file at path must be a regular file we can read: opened first so a
 * missing or unreadable one gets strerror() rather than libconfig's "file
 * I/O error".  Its directory is made absolute (L->dir) for relative paths
 * and @include; *base is the file's name within it, kept as given.
 */
static int
config_open(struct config_loader *L, const char *path, const char **base)
{
	struct stat sb;
	char *copy = NULL, *slash;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return err_set(L->errp, "cannot read configuration %s: %s",
		    path, strerror(errno));
	if (fstat(fd, &sb) != 0)
		err_set(L->errp, "cannot read configuration %s: %s", path,
		    strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		err_set(L->errp, "cannot read configuration %s: %s", path,
		    S_ISDIR(sb.st_mode) ? "it is a directory" :
		    "not a regular file");
	else if ((copy = strdup(path)) == NULL)
		config_oom(L);
	else if ((slash = strrchr(copy, '/')) == NULL) {
		*base = path;
		L->dir = realpath(".", NULL);
	} else {
		*base = path + (slash - copy) + 1;
		slash[slash == copy ? 1 : 0] = '\0';
		L->dir = realpath(copy, NULL);
	}
	if (copy != NULL && L->dir == NULL)
		err_set(L->errp, "cannot resolve the directory of %s: %s", path,
		    strerror(errno));
	else if (copy != NULL)
		rc = 0;
	free(copy);
	close(fd);
	return rc;
}

/*
 * libconfig could not read the file: a syntax error, possibly in an
 * @included file (named as written, relative to L->dir), or an include
 * that cannot be opened, which config_check_includes() saw and can say
 * why.
 */
static int
config_read_failed(struct config_loader *L, config_t *lc, const char *path)
{
	const struct config_unopened *unopened;
	const char *file;
	char *where = NULL;
	int line;

	file = config_error_file(lc) != NULL ? config_error_file(lc) : path;
	if ((strcmp(file, path) != 0 && file[0] != '/' ?
	    asprintf(&where, "%s/%s", L->dir, file) :
	    asprintf(&where, "%s", file)) < 0)
		return config_oom(L);
	line = config_error_line(lc);
	if ((unopened = config_unopened_at(L, where, line)) != NULL)
		err_set(L->errp, "%s:%d: cannot open the @included file %s: %s",
		    where, line, unopened->full, strerror(unopened->error));
	else
		err_set(L->errp, "%s:%d: %s", where, line,
		    config_error_text(lc));
	free(where);
	return -1;
}

/* Read, parse and validate the file at path. */
int
config_load(const char *path, struct config **out, char **errp)
{
	struct config_loader L;
	struct config *cfg = NULL;
	config_t lc;
	const char *base = path;
	int rc = -1;

	*out = NULL;
	memset(&L, 0, sizeof(L));
	L.file = path;
	L.errp = errp;
	config_init(&lc);
	if (config_open(&L, path, &base) != 0)
		goto out;
	config_set_include_dir(&lc, L.dir);
	if (config_check_includes(&L, path, 0) < 0)
		goto out;
	if (!config_read_file(&lc, path)) {
		config_read_failed(&L, &lc, path);
		goto out;
	}
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    asprintf(&cfg->path, "%s%s%s", L.dir, strcmp(L.dir, "/") != 0 ?
	    "/" : "", base) < 0) {
		if (cfg != NULL)
			cfg->path = NULL;
		config_oom(&L);
		goto out;
	}
	L.cfg = cfg;
	if (config_defaults(&L) != 0 ||
	    config_load_root(&L, config_root_setting(&lc)) != 0)
		goto out;
	*out = cfg;
	cfg = NULL;
	rc = 0;
out:
	free(L.dir);
	free(L.shared);
	config_unopened_free(&L);
	config_destroy(&lc);
	config_free(cfg);
	return rc;
}

const char *
config_default_path(void)
{
	const char *env = getenv("NUDGE_CONFIG");

	return env != NULL && *env != '\0' ? env :
	    NUDGE_SYSCONFDIR "/nudge/nudge.conf";
}
