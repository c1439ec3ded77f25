/*
 * Following the configuration's @includes ourselves, into one text that
 * libconfig reads as a string, with a map from each of its lines back to
 * the file and line it came from.  libconfig 1.5 (Debian 12) puts its
 * include directory before every name, so `@include "/etc/x.conf"` would
 * be looked for as `<dir>//etc/x.conf`; its scanner calls exit() when a
 * read fails, as it does on a directory, and opening a FIFO blocks for
 * ever.  Here a name is taken as written when absolute and relative to
 * the main file's directory otherwise (as libconfig does), and only
 * regular files are read.
 *
 * An @include is recognised where libconfig's scanner finds one that
 * starts a line outside a comment; one elsewhere on a line is left to
 * libconfig.
 */
#include "config_table.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"

/* libconfig's limit on nested @include (MAX_INCLUDE_DEPTH). */
#define CONFIG_INCLUDE_DEPTH 10

static int config_expand_file(struct config_loader *L, FILE *out,
    const char *file, int depth);

/* Line `line` of file (a string L owns) is the next line of the text. */
static int
config_map_line(struct config_loader *L, const char *file, int line)
{
	struct config_src *v;
	size_t cap;

	if (L->nsrc == L->src_cap) {
		cap = L->src_cap != 0 ? L->src_cap * 2 : 64;
		if ((v = reallocarray(L->src, cap, sizeof(*v))) == NULL)
			return config_oom(L);
		L->src = v;
		L->src_cap = cap;
	}
	L->src[L->nsrc].file = file;
	L->src[L->nsrc].line = line;
	L->nsrc++;
	return 0;
}

/* A copy of path L keeps (the map points into it) until config_load()
 * returns. */
static const char *
config_keep_path(struct config_loader *L, const char *path)
{
	char **v, *copy;

	if ((copy = strdup(path)) == NULL ||
	    (v = reallocarray(L->paths, L->npaths + 1, sizeof(*v))) == NULL) {
		free(copy);
		config_oom(L);
		return NULL;
	}
	L->paths = v;
	L->paths[L->npaths++] = copy;
	return copy;
}

/*
 * The NAME of `@include "NAME"` read from p, after its opening quote, as
 * libconfig's scanner reads it; *end is after the closing quote.  0, or
 * 1 for a name libconfig would mangle: a control character in it, a
 * backslash other than \\ or \" (the scanner prints those to stdout),
 * too long, or not closed on its line.
 */
static int
config_include_name(const char *p, char *name, size_t size,
    const char **end)
{
	size_t len = 0;
	int bad = 0;

	for (; *p != '"'; p++) {
		if (*p == '\0' || *p == '\n')
			return 1;
		if (*p == '\\') {
			p++;
			if (*p != '\\' && *p != '"')
				bad = 1;
			if (*p == '\0')
				return 1;
		}
		if ((unsigned char)*p < 0x20 || len == size - 1)
			bad = 1;
		else
			name[len++] = *p;
	}
	name[len] = '\0';
	*end = p + 1;
	return bad;
}

/* The file `@include "name"` names, at file:line: read into out. */
static int
config_expand_include(struct config_loader *L, FILE *out, const char *file,
    int line, const char *name, int depth)
{
	struct stat sb;
	const char *kept;
	char *full = NULL;
	int rc;

	if (depth == CONFIG_INCLUDE_DEPTH)
		return err_set(L->errp, "%s:%d: @include nested more than %d "
		    "deep", file, line, CONFIG_INCLUDE_DEPTH);
	if ((name[0] == '/' ? asprintf(&full, "%s", name) :
	    asprintf(&full, "%s/%s", L->dir, name)) < 0)
		return config_oom(L);
	if (stat(full, &sb) != 0)
		rc = err_set(L->errp, "%s:%d: cannot open the @included file "
		    "%s: %s", file, line, full, strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		rc = err_set(L->errp, "%s:%d: @include \"%s\": %s is not a "
		    "regular file", file, line, name, full);
	else if ((kept = config_keep_path(L, full)) == NULL)
		rc = -1;
	else
		rc = config_expand_file(L, out, kept, depth + 1);
	free(full);
	return rc;
}

/*
 * Whether a block comment is still open after line s, given whether one was
 * before it; strings and the comments that end a line are skipped, as
 * libconfig's scanner skips them.
 */
static int
config_in_comment(const char *s, int in)
{
	for (; *s != '\0'; s++) {
		if (in) {
			if (s[0] == '*' && s[1] == '/') {
				in = 0;
				s++;
			}
		} else if (s[0] == '/' && s[1] == '*') {
			in = 1;
			s++;
		} else if (s[0] == '#' || (s[0] == '/' && s[1] == '/'))
			break;
		else if (s[0] == '"')
			for (s++; *s != '\0' && *s != '"'; s++)
				if (s[0] == '\\' && s[1] != '\0')
					s++;
		if (*s == '\0')
			break;
	}
	return in;
}

/* One line of file: an @include starting it (outside a comment) is
 * followed, the rest of the line after it kept; any other line goes to
 * out as it is. */
static int
config_expand_line(struct config_loader *L, FILE *out, const char *file,
    int line, const char *s, int depth, int in_comment)
{
	static const char directive[] = "@include";
	char name[PATH_MAX];
	const char *p = s + strspn(s, " \t"), *rest = s;

	if (!in_comment &&
	    strncmp(p, directive, sizeof(directive) - 1) == 0 &&
	    (p[sizeof(directive) - 1] == ' ' ||
	    p[sizeof(directive) - 1] == '\t')) {
		p += sizeof(directive) - 1;
		p += strspn(p, " \t");
		if (*p == '"') {
			if (config_include_name(p + 1, name, sizeof(name),
			    &rest) != 0)
				return err_set(L->errp, "%s:%d: the @include "
				    "name has a control character, a stray "
				    "backslash or is too long", file, line);
			if (config_expand_include(L, out, file, line, name,
			    depth) != 0)
				return -1;
		}
	}
	if (fputs(rest, out) == EOF ||
	    (rest[0] == '\0' || rest[strlen(rest) - 1] != '\n' ?
	    fputc('\n', out) == EOF : 0))
		return config_oom(L);
	return config_map_line(L, file, line);
}

static int
config_expand_file(struct config_loader *L, FILE *out, const char *file,
    int depth)
{
	FILE *f;
	char *buf = NULL;
	size_t size = 0;
	ssize_t n;
	int line = 0, rc = 0, in_comment = 0;

	if ((f = fopen(file, "r")) == NULL)
		return err_set(L->errp, "cannot read configuration %s: %s",
		    file, strerror(errno));
	while (rc == 0 && (n = getline(&buf, &size, f)) >= 0) {
		line++;
		if (memchr(buf, '\0', (size_t)n) != NULL)
			rc = err_set(L->errp, "%s:%d: a NUL byte", file, line);
		else if ((rc = config_expand_line(L, out, file, line, buf,
		    depth, in_comment)) == 0)
			in_comment = config_in_comment(buf, in_comment);
	}
	if (rc == 0 && ferror(f))
		rc = err_set(L->errp, "cannot read configuration %s: %s",
		    file, strerror(errno));
	free(buf);
	fclose(f);
	return rc;
}

int
config_expand(struct config_loader *L, const char *path, char **text)
{
	size_t len;
	FILE *out;
	int rc;

	*text = NULL;
	if ((out = open_memstream(text, &len)) == NULL)
		return config_oom(L);
	rc = config_expand_file(L, out, path, 0);
	if (fclose(out) != 0 && rc == 0)
		rc = config_oom(L);
	if (rc != 0) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

int
config_src_at(const struct config_loader *L, int line, const char **file,
    int *fline)
{
	if (line < 1 || L->nsrc == 0)
		return -1;
	/* Past the end (libconfig names the line after the last one for
	 * what the end of the text left open): the main file's, whose
	 * line is always last. */
	if ((size_t)line > L->nsrc) {
		*file = L->src[L->nsrc - 1].file;
		*fline = L->src[L->nsrc - 1].line + (line - (int)L->nsrc);
		return 0;
	}
	*file = L->src[line - 1].file;
	*fline = L->src[line - 1].line;
	return 0;
}

void
config_expand_free(struct config_loader *L)
{
	size_t i;

	for (i = 0; i < L->npaths; i++)
		free(L->paths[i]);
	free(L->paths);
	free(L->src);
	L->paths = NULL;
	L->src = NULL;
	L->npaths = L->nsrc = L->src_cap = 0;
}
