/*
 * Secrets (SMTP passwords, webhook signing keys) come from files, never
 * from the configuration text, and are never logged.  Under systemd,
 * LoadCredential= puts them in $CREDENTIALS_DIRECTORY: a file there with
 * the same base name as the configured path wins.
 *
 * nudged keeps what it read in a struct secrets until the configuration is
 * reloaded, instead of opening the file for every delivery (that was 7 % of
 * its CPU in a burst).  A file that could not be read is not remembered:
 * the next attempt reads it again, so ops can fix it without a reload.
 */
#ifndef NUDGED_SECRET_H
#define NUDGED_SECRET_H

struct secrets;

/* The longest secret file read, in bytes. */
#define SECRET_MAX 4096

/* The file's content without a trailing newline; caller frees (and should
 * explicit_bzero first). */
int secret_read(const char *path, char **out, char **errp);

struct secrets *secrets_new(void);
/* Wipes and frees every secret held. */
void secrets_free(struct secrets *s);
/* At reload: wipe and forget them all, so the files are read again. */
void secrets_forget(struct secrets *s);
/* The secret of `path`, read now or earlier; *value is borrowed until
 * secrets_forget() or secrets_free(). */
int secrets_get(struct secrets *s, const char *path, const char **value,
    char **errp);

#endif
