#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

int
secret_read(const char *path, char **out, char **errp)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	const char *base = strrchr(path, '/');
	char cred[4096], buf[SECRET_MAX + 1];
	ssize_t n;
	size_t len = 0;
	int fd = -1;

	*out = NULL;
	base = base != NULL ? base + 1 : path;
	if (dir != NULL && *dir != '\0' &&
	    snprintf(cred, sizeof(cred), "%s/%s", dir, base) <
	    (int)sizeof(cred))
		fd = open(cred, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(errp, "secret file %s: %s", path,
		    strerror(errno));
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len >= SECRET_MAX) {
		explicit_bzero(buf, sizeof(buf));
		return err_set(errp, "secret file %s is too large", path);
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	*out = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	if (*out == NULL)
		return err_set(errp, "out of memory");
	return 0;
}

struct secret_entry {
	char *path;
	char *value;
};

struct secrets {
	struct secret_entry *v;
	size_t n;
};

struct secrets *
secrets_new(void)
{
	return calloc(1, sizeof(struct secrets));
}

void
secrets_forget(struct secrets *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		explicit_bzero(s->v[i].value, strlen(s->v[i].value));
		free(s->v[i].value);
		free(s->v[i].path);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void
secrets_free(struct secrets *s)
{
	if (s == NULL)
		return;
	secrets_forget(s);
	free(s);
}

int
secrets_get(struct secrets *s, const char *path, const char **value,
    char **errp)
{
	struct secret_entry *tmp;
	char *secret = NULL, *key;
	size_t i;

	*value = NULL;
	/* A handful of channels: a linear search is the fastest there is. */
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0) {
			*value = s->v[i].value;
			return 0;
		}
	if (secret_read(path, &secret, errp) != 0)
		return -1;
	if ((key = strdup(path)) == NULL ||
	    (tmp = realloc(s->v, (s->n + 1) * sizeof(*tmp))) == NULL) {
		free(key);
		explicit_bzero(secret, strlen(secret));
		free(secret);
		return err_set(errp, "out of memory");
	}
	s->v = tmp;
	s->v[s->n].path = key;
	s->v[s->n].value = secret;
	*value = s->v[s->n++].value;
	return 0;
}
