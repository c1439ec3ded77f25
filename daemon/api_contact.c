/* The API's stay-in-touch endpoints: a touch logged (`nudge contact`)
 * and who is going quiet (`nudge accounts`). */
#include <string.h>

#include "api_impl.h"
#include "cadence_view.h"
#include "config.h"

enum { CF_ACCOUNT, CF_WITH, CF_NOTE, CF_AT, CF_OWNER };
static const struct api_field contact_fields[] = {
	[CF_ACCOUNT] = { "account", API_STRING, 0, 1 },
	[CF_WITH] = { "with", API_STRING, 0, 0 },
	[CF_NOTE] = { "note", API_STRING, 0, 0 },
	[CF_AT] = { "at", API_STRING, 0, 0 },
	[CF_OWNER] = { "owner", API_STRING, 0, 0 },
	API_FIELDS_END,
};

/* 201 with the touch; no Location, as a touch has no page of its own
 * (GET /v1/accounts shows it as the account's last). */
void
api_contact_create(struct api_call *c)
{
	struct uc_contact_added r;
	struct uc_contact_add req;
	struct api_args a;
	enum uc_status st;
	char *err = NULL;

	if (api_fields(c, contact_fields, &a) != 0)
		return;
	memset(&req, 0, sizeof(req));
	req.account = a.s[CF_ACCOUNT];
	req.with = a.s[CF_WITH];
	req.note = a.s[CF_NOTE];
	req.at = a.s[CF_AT];
	req.owner = a.s[CF_OWNER];
	if ((st = uc_contact_add(&c->ctx, &req, &r, &err)) != UC_OK)
		api_uc_problem(c, st, err);
	else
		api_written(c, 201, NULL, r.id, uc_contact_json(&req, &r));
}

/* ?quiet=true|false and ?owner=, as `accounts --quiet --owner WHO`. */
void
api_accounts(struct api_call *c)
{
	static const char *const bools[] = { "true", "false", NULL };
	struct cadence_view_row *v;
	const char *owner, *quiet;
	char *err = NULL;
	size_t n;

	if (api_owner(c, &owner) != 0 ||
	    api_choice(c, "quiet", bools, &quiet) != 0)
		return;
	if (cadence_view(c->st, c->cfg, c->ctx.now, owner, quiet != NULL &&
	    strcmp(quiet, "true") == 0, &v, &n, &err) != 0) {
		api_uc_problem(c, UC_FAILED, err);
		return;
	}
	api_json(c, 200, cadence_view_json(v, n, c->cfg->timezone));
	cadence_view_free(v, n);
}
