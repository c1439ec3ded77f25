/*
 * nudge export: everything as JSON, or one kind as CSV in the same format
 * `nudge import` reads (times as ISO 8601 with the owner's offset).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "deal.h"
#include "followup.h"
#include "promise.h"
#include "store.h"

static const char *
export_zone(struct cli *c, const char *owner)
{
	const struct config_person *p = config_person(c->cfg, owner);

	return p != NULL ? p->timezone : c->cfg->timezone;
}

static int
export_csv(struct cli *c, const char *kind)
{
	char *err = NULL, a[64], b[64], value[64];
	size_t n, i;

	if (strcmp(kind, "deals") == 0) {
		struct deal_filter f = { 0 };
		struct deal *v;
		const char *head[] = { "title", "account", "owner", "value",
			"currency", "closes", "won_at" };

		if (deal_list(c->st, &f, &v, &n, &err) != 0)
			return cli_fail(CLI_FAIL, err);
		cli_csv_row(head, 7);
		for (i = 0; i < n; i++) {
			const char *zone = export_zone(c, v[i].owner);
			snprintf(value, sizeof(value), "%lld.%02lld",
			    (long long)(v[i].value_minor / 100),
			    (long long)(v[i].value_minor % 100));
			const char *row[] = { v[i].title, v[i].account,
				v[i].owner, v[i].has_value ? value : NULL,
				v[i].currency, v[i].closes_at ? cli_iso(
				v[i].closes_at, zone, a, sizeof(a)) : NULL,
				strcmp(v[i].stage, "won") == 0 ? cli_iso(
				v[i].closed_at, zone, b, sizeof(b)) : NULL };
			cli_csv_row(row, 7);
		}
		deal_list_free(v, n);
	} else if (strcmp(kind, "promises") == 0) {
		struct promise_filter f = { 0 };
		struct promise *v;
		const char *head[] = { "owner", "account", "text", "due", "to",
			"deal" };

		if (promise_list(c->st, &f, &v, &n, &err) != 0)
			return cli_fail(CLI_FAIL, err);
		cli_csv_row(head, 6);
		for (i = 0; i < n; i++) {
			snprintf(value, sizeof(value), "%lld",
			    (long long)v[i].deal_id);
			const char *row[] = { v[i].owner, v[i].account,
				v[i].text, cli_iso(v[i].due_at, export_zone(c,
				v[i].owner), a, sizeof(a)), v[i].promised_to,
				v[i].deal_id ? value : NULL };
			cli_csv_row(row, 6);
		}
		promise_list_free(v, n);
	} else {
		struct followup_filter f = { 0 };
		struct followup *v;
		const char *head[] = { "owner", "account", "text", "at" };

		if (followup_list(c->st, &f, &v, &n, &err) != 0)
			return cli_fail(CLI_FAIL, err);
		cli_csv_row(head, 4);
		for (i = 0; i < n; i++) {
			const char *row[] = { v[i].owner, v[i].account,
				v[i].text, cli_iso(v[i].due_at, export_zone(c,
				v[i].owner), a, sizeof(a)) };
			cli_csv_row(row, 4);
		}
		followup_list_free(v, n);
	}
	return CLI_OK;
}

static int
export_json(struct cli *c)
{
	struct deal_filter df = { 0 };
	struct promise_filter pf = { 0 };
	struct followup_filter ff = { 0 };
	struct deal *dv = NULL;
	struct promise *pv = NULL;
	struct followup *fv = NULL;
	size_t nd = 0, np = 0, nf = 0, i;
	json_t *o, *a;
	char *err = NULL;
	int rc = CLI_OK;

	if (deal_list(c->st, &df, &dv, &nd, &err) != 0 ||
	    promise_list(c->st, &pf, &pv, &np, &err) != 0 ||
	    followup_list(c->st, &ff, &fv, &nf, &err) != 0) {
		rc = cli_fail(CLI_FAIL, err);
		goto out;
	}
	o = json_object();
	json_object_set_new(o, "deals", a = json_array());
	for (i = 0; i < nd; i++)
		json_array_append_new(a, deal_json(&dv[i],
		    export_zone(c, dv[i].owner)));
	json_object_set_new(o, "promises", a = json_array());
	for (i = 0; i < np; i++)
		json_array_append_new(a, promise_json(&pv[i],
		    export_zone(c, pv[i].owner)));
	json_object_set_new(o, "followups", a = json_array());
	for (i = 0; i < nf; i++)
		json_array_append_new(a, followup_json(&fv[i],
		    export_zone(c, fv[i].owner)));
	cli_print_json(o);
out:
	deal_list_free(dv, nd);
	promise_list_free(pv, np);
	followup_list_free(fv, nf);
	return rc;
}

int
cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "deals", no_argument, NULL, 'D' },
		{ "promises", no_argument, NULL, 'P' },
		{ "followups", no_argument, NULL, 'F' },
		CLI_COMMON_LONGOPTS_END
	};
	const char *format = NULL, *kind = NULL;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': format = optarg; break;
		case 'D': kind = "deals"; break;
		case 'P': kind = "promises"; break;
		case 'F': kind = "followups"; break;
		case 'J': format = "json"; break;
		case 'h': return cli_help("export");
		default: return cli_usage(cli_command("export"), "bad option");
		}
	}
	if (format == NULL)
		format = c->json ? "json" : "csv";
	if (optind != argc || (strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0))
		return cli_usage(cli_command("export"), "--format is csv or "
		    "json");
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (strcmp(format, "json") == 0)
		return export_json(c);
	return export_csv(c, kind != NULL ? kind : "promises");
}
