#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

#define SECRET_MAX 4096

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
