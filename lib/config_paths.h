/*
 * Can this user work with the configuration's files?  A valid file can
 * still name a database in a directory that does not exist, or one this
 * user cannot write to (SQLite writes its -wal and -shm beside the
 * database), and a runtime_dir where nudged cannot make its socket.
 */
#ifndef NUDGE_CONFIG_PATHS_H
#define NUDGE_CONFIG_PATHS_H

#include <jansson.h>

struct config;

/*
 * Check the directory of database (the configuration's unless given),
 * the database when it exists, and runtime_dir, for the effective user.
 * Each problem, saying what to do, is appended to problems (strings); a
 * runtime_dir that does not exist yet goes to notes instead (systemd
 * makes it when it starts nudged), as does a person's language with no
 * catalog installed (lib/words.h).  0, or -1 when out of memory.
 */
int config_check_paths(const struct config *cfg, const char *database,
    json_t *problems, json_t *notes, char **errp);

#endif
