/* The API's stay-in-touch endpoints: a touch logged (`nudge contact`)
 * and who is going quiet (`nudge accounts`). */
#include <stddef.h>
#include <string.h>

#include "api_impl.h"
#include "cadence_view.h"
#include "config.h"

static const struct api_field contact_fields[] = {
	{ "account", 0, 1, API_STR(uc_contact_add, account) },
	{ "with", 0, 0, API_STR(uc_contact_add, with) },
	{ "note", 0, 0, API_STR(uc_contact_add, note) },
	{ "at", 0, 0, API_STR(uc_contact_add, at) },
	{ "owner", 0, 0, API_STR(uc_contact_add, owner) },
	API_FIELDS_END,
};

static enum uc_status
contact_add_call(struct api_call *c, struct api_io *io, char **errp)
{
	return uc_contact_add(&c->ctx, &io->q.contact, &io->r.contact, errp);
}

/* 201 with the touch; no Location, as a touch has no page of its own
 * (GET /v1/accounts shows it as the account's last). */
const struct api_how api_contact_add = { API_CONTACT, contact_fields, 1,
	contact_add_call, 201, NULL, NULL };

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
	api_list(c, cadence_view_json(v, n, c->cfg->timezone));
	cadence_view_free(v, n);
}
