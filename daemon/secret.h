/*
 * Secrets (SMTP passwords, webhook signing keys) come from files, never
 * from the configuration text, and are never logged.  Under systemd,
 * LoadCredential= puts them in $CREDENTIALS_DIRECTORY: a file there with
 * the same base name as the configured path wins.
 */
#ifndef NUDGED_SECRET_H
#define NUDGED_SECRET_H

/* The file's content without a trailing newline; caller frees (and should
 * explicit_bzero first). */
int secret_read(const char *path, char **out, char **errp);

#endif
