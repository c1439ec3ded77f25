/*
 * For the unit tests that call use-cases (lib/usecase.h) on a udb
 * (unit_db.h): the context they pass, on the udb's configuration and
 * store at a fixed moment.  Include after unit_db.h.
 */
#ifndef NUDGE_TEST_UNIT_UC_H
#define NUDGE_TEST_UNIT_UC_H

#include <time.h>

#include "usecase.h"

/* A context on u at now; nothing refused yet. */
static inline struct uc_ctx
udb_ctx(struct udb *u, time_t now)
{
	struct uc_ctx c = { .cfg = u->cfg, .now = now, .st = &u->st };

	return c;
}

#endif
