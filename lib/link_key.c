/* The link key file: see link_key.h. */
#include "link_key.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "store.h"
#include "store_value.h"

/* Two lines of 64 hex digits and their newlines. */
#define LINK_KEY_FILE_MAX (2 * (2 * LINK_KEY_BYTES + 1))

static int
link_key_nibble(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

/* 2 * LINK_KEY_BYTES hex digits at s (not a string: sscanf() would read
 * on to a NUL the file's bytes do not have). */
static int
link_key_hex(const char *s, unsigned char *key)
{
	int hi, lo;
	size_t i;

	for (i = 0; i < LINK_KEY_BYTES; i++) {
		if ((hi = link_key_nibble(s[2 * i])) < 0 ||
		    (lo = link_key_nibble(s[2 * i + 1])) < 0)
			return -1;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int
link_key_parse(const char *path, const char *buf, size_t n,
    struct link_keys *k, char **errp)
{
	size_t line = 2 * LINK_KEY_BYTES;
	size_t i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < n; i++)
		if (buf[i] != '\n' && strchr("0123456789abcdef", buf[i]) ==
		    NULL)
			goto bad;
	if (n < line + 1 || buf[line] != '\n' ||
	    link_key_hex(buf, k->cur) != 0)
		goto bad;
	if (n == line + 1)
		return 0;
	if (n != 2 * (line + 1) || buf[2 * line + 1] != '\n' ||
	    link_key_hex(buf + line + 1, k->prev) != 0)
		goto bad;
	k->has_prev = 1;
	return 0;
bad:
	OPENSSL_cleanse(k, sizeof(*k));
	return err_set(errp, "%s: not a link key file (one or two lines of "
	    "64 hex digits); `nudge link rotate-key --revoke` writes a new "
	    "one", path);
}

int
link_keys_load(const char *path, struct link_keys *k, time_t *mtime,
    char **errp)
{
	char buf[LINK_KEY_FILE_MAX + 1];
	struct stat sb;
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return err_set(errp, "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(errp, "%s: not a regular file", path);
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return err_set(errp, "%s: the link key is open to others "
		    "(mode %03o); chmod 600 it and rotate it with `nudge link "
		    "rotate-key --revoke`", path, (unsigned)sb.st_mode & 0777);
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return err_set(errp, "%s: %s", path, strerror(errno));
	rc = link_key_parse(path, buf, (size_t)n, k, errp);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (rc == 0 && mtime != NULL)
		*mtime = sb.st_mtime;
	return rc;
}

/* Write k to path: a temporary file, 0600 from the start, renamed over. */
static int
link_keys_write(const char *path, const struct link_keys *k, char **errp)
{
	char tmp[PATH_MAX], buf[LINK_KEY_FILE_MAX + 1];
	size_t i, n = 0;
	int fd, ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
		return err_set(errp, "%s: path too long", path);
	for (i = 0; i < LINK_KEY_BYTES; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%02x", k->cur[i]);
	buf[n++] = '\n';
	for (i = 0; k->has_prev && i < LINK_KEY_BYTES; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%02x",
		    k->prev[i]);
	if (k->has_prev)
		buf[n++] = '\n';
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return err_set(errp, "%s: %s", tmp, strerror(errno));
	ok = write(fd, buf, n) == (ssize_t)n && fsync(fd) == 0;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		err_set(errp, "%s: %s", path, strerror(errno));
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

int
link_keys_ensure(const char *path, struct link_keys *k, int *created,
    char **errp)
{
	*created = 0;
	if (access(path, F_OK) == 0 || errno != ENOENT)
		return link_keys_load(path, k, NULL, errp);
	memset(k, 0, sizeof(*k));
	if (RAND_bytes(k->cur, LINK_KEY_BYTES) != 1)
		return err_set(errp, "no random bytes for a link key");
	if (link_keys_write(path, k, errp) != 0) {
		OPENSSL_cleanse(k, sizeof(*k));
		return -1;
	}
	*created = 1;
	return 0;
}

int
link_keys_rotate(const char *path, int revoke, char **errp)
{
	struct link_keys k;
	int rc;

	/* A revocation needs nothing of the old file: it may be the
	 * broken or leaked one. */
	memset(&k, 0, sizeof(k));
	if (!revoke && link_keys_load(path, &k, NULL, errp) != 0)
		return -1;
	memcpy(k.prev, k.cur, LINK_KEY_BYTES);
	k.has_prev = !revoke;
	if (RAND_bytes(k.cur, LINK_KEY_BYTES) != 1)
		rc = err_set(errp, "no random bytes for a link key");
	else
		rc = link_keys_write(path, &k, errp);
	OPENSSL_cleanse(&k, sizeof(k));
	return rc;
}

static const char SQL_DB_ID[] = "SELECT database_id FROM daemon WHERE id = 1";

char *
link_db_identity(struct store *st, char **errp)
{
	char *id = NULL;
	int rc;

	rc = store_value_text(st, SQL_DB_ID, NULL, 0, &id,
	    "the database's identity", errp);
	if (rc < 0)
		return NULL;
	/* Migration 0010 gives every database one: none is not nudge's. */
	if (rc == 0 || id == NULL || id[0] == '\0') {
		free(id);
		err_set(errp, "%s has no identity (migration 0010): run nudge "
		    "db migrate", store_path(st));
		return NULL;
	}
	return id;
}

unsigned
link_followup_actions(int64_t promise_id)
{
	return LINK_DONE | LINK_SNOOZE | LINK_CONTACT |
	    (promise_id != 0 ? LINK_KEPT | LINK_RENEGOTIATE : 0);
}

int
link_url(const char *public_url, const struct link_keys *k,
    const char *dbid, const struct link *l, char *buf, size_t len)
{
	char token[LINK_TOKEN_MAX];
	int n;

	if (link_make(l, k->cur, dbid, token) != 0)
		return -1;
	n = snprintf(buf, len, "%s/l/%s", public_url, token);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
