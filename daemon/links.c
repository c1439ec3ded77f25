/* Action links in nudged: see links.h. */
#include "links.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "followup.h"
#include "link_key.h"
#include "log.h"

static struct link_keys links_k;
static int links_loaded;
static time_t links_mtime;
static ino_t links_ino;
static char *links_dbid;

int
links_open(const struct config *cfg, struct store *st, char **errp)
{
	struct stat sb;
	int created;

	if (!cfg->http.enabled)
		return 0;
	if ((links_dbid = link_db_identity(st, errp)) == NULL ||
	    link_keys_ensure(cfg->http.key_file, &links_k, &created,
	    errp) != 0)
		return -1;
	if (created)
		log_info("made the action links' key %s",
		    cfg->http.key_file);
	if (stat(cfg->http.key_file, &sb) == 0) {
		links_mtime = sb.st_mtime;
		links_ino = sb.st_ino;
	}
	links_loaded = 1;
	return 0;
}

void
links_close(void)
{
	OPENSSL_cleanse(&links_k, sizeof(links_k));
	links_loaded = 0;
	free(links_dbid);
	links_dbid = NULL;
}

const struct link_keys *
links_keys(const struct config *cfg, const char **dbid)
{
	struct stat sb;
	char *err = NULL;

	if (!cfg->http.enabled || links_dbid == NULL)
		return NULL;
	/* A rotation renames a new file over the old: a new inode. */
	if (stat(cfg->http.key_file, &sb) == 0 && (sb.st_ino != links_ino ||
	    sb.st_mtime != links_mtime)) {
		links_ino = sb.st_ino;
		links_mtime = sb.st_mtime;
		if (link_keys_load(cfg->http.key_file, &links_k, NULL,
		    &err) != 0) {
			log_warnx("action links are off until the key is "
			    "fixed: %s", err);
			free(err);
			links_loaded = 0;
		} else {
			log_info("read the action links' key again (%s)",
			    cfg->http.key_file);
			links_loaded = 1;
		}
	}
	*dbid = links_dbid;
	return links_loaded ? &links_k : NULL;
}

/* public_url/l/TOKEN of f, or "" when there can be none. */
static void
links_url(const struct config *cfg, const struct followup *f, time_t now,
    char *buf, size_t len)
{
	const struct link_keys *k;
	const char *dbid;
	struct link l;

	buf[0] = '\0';
	if ((k = links_keys(cfg, &dbid)) == NULL)
		return;
	l.kind = 'f';
	l.id = f->id;
	l.actions = link_followup_actions(f->promise_id);
	l.expires = (int64_t)now + cfg->http.link_ttl.seconds;
	if (link_url(cfg->http.public_url, k, dbid, &l, buf, len) != 0)
		buf[0] = '\0';
}

int
links_expand(const struct config *cfg, const struct followup *f,
    time_t now, char **text)
{
	char url[1024 + LINK_TOKEN_MAX], *out = NULL, *p, *at;
	size_t size = 0;
	FILE *m;

	if (*text == NULL || strstr(*text, LINK_MARKER) == NULL)
		return 0;
	links_url(cfg, f, now, url, sizeof(url));
	if ((m = open_memstream(&out, &size)) == NULL)
		return -1;
	for (p = *text; (at = strstr(p, LINK_MARKER)) != NULL;
	    p = at + strlen(LINK_MARKER)) {
		fwrite(p, 1, (size_t)(at - p), m);
		fputs(url, m);
	}
	fputs(p, m);
	if (fclose(m) != 0) {
		free(out);
		return -1;
	}
	free(*text);
	*text = out;
	return 0;
}
