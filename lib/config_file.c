/*
 * Reading the configuration file: opening it (so a missing one gets
 * strerror(), not libconfig's "file I/O error"), following its @includes
 * (config_include.c), and libconfig's parse.  What the values mean is
 * lib/config.c's and lib/config_value.c's.
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
 * libconfig could not read the text: a syntax error, named by the file
 * and line it came from (an @included file by its path), or in a file
 * libconfig included itself (an @include that does not start a line).
 */
static int
config_read_failed(struct config_loader *L, config_t *lc)
{
	const char *file = config_error_file(lc);
	int line = config_error_line(lc);

	if (file != NULL)
		return err_set(L->errp, "%s%s%s:%d: %s", file[0] != '/' ?
		    L->dir : "", file[0] != '/' ? "/" : "", file, line,
		    config_error_text(lc));
	if (config_src_at(L, line, &file, &line) != 0)
		return err_set(L->errp, "%s: %s", L->file,
		    config_error_text(lc));
	return err_set(L->errp, "%s:%d: %s", file, line,
	    config_error_text(lc));
}

/* Read, parse and validate the file at path. */
int
config_load(const char *path, struct config **out, char **errp)
{
	struct config_loader L;
	struct config *cfg = NULL;
	config_t lc;
	const char *base = path;
	char *text = NULL;
	int rc = -1;

	*out = NULL;
	memset(&L, 0, sizeof(L));
	L.file = path;
	L.errp = errp;
	config_init(&lc);
	if (config_open(&L, path, &base) != 0)
		goto out;
	config_set_include_dir(&lc, L.dir);
	if (config_expand(&L, path, &text) != 0)
		goto out;
	if (!config_read_string(&lc, text)) {
		config_read_failed(&L, &lc);
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
	config_expand_free(&L);
	free(text);
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
