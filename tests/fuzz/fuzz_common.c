#include "fuzz_common.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *fuzz_scratch;

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		fuzz_fail("out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static int
fuzz_rm_one(const char *path, const struct stat *sb, int type,
    struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
fuzz_rm_scratch(void)
{
	if (fuzz_scratch != NULL)
		nftw(fuzz_scratch, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fuzz_scratch);
	fuzz_scratch = NULL;
}

const char *
fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (fuzz_scratch != NULL)
		return fuzz_scratch;
	if (asprintf(&fuzz_scratch, "%s/nudge-fuzz.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp") < 0)
		fuzz_fail("out of memory");
	if (mkdtemp(fuzz_scratch) == NULL)
		fuzz_fail("mkdtemp %s: %s", fuzz_scratch, strerror(errno));
	atexit(fuzz_rm_scratch);
	return fuzz_scratch;
}

char *
fuzz_path(const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", fuzz_dir(), name) < 0)
		fuzz_fail("out of memory");
	return path;
}

void
fuzz_write(const char *path, const void *data, size_t size)
{
	const char *p = data;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0)
		fuzz_fail("%s: %s", path, strerror(errno));
	while (size > 0) {
		if ((n = write(fd, p, size)) < 0) {
			if (errno == EINTR)
				continue;
			fuzz_fail("%s: %s", path, strerror(errno));
		}
		p += n;
		size -= (size_t)n;
	}
	if (close(fd) != 0)
		fuzz_fail("%s: %s", path, strerror(errno));
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
fuzz_check_err(const char *what, int rc, char *err)
{
	if (rc == 0 && err != NULL)
		fuzz_fail("%s succeeded with a message: %s", what, err);
	if (rc == -1 && (err == NULL || *err == '\0'))
		fuzz_fail("%s failed without a message", what);
	if (rc != 0 && rc != -1)
		fuzz_fail("%s returned %d", what, rc);
	free(err);
}
