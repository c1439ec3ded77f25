/*
 * nudge agenda: what is coming, grouped by day in the owner's time zone:
 * follow-ups to do, promise targets and promise due dates, and what is
 * already overdue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "followup.h"
#include "jsonout.h"
#include "promise.h"
#include "store.h"

/* Colour only on a terminal, never with NO_COLOR (cli_color()). */
#define AGENDA_BOLD  "\033[1m"
#define AGENDA_RED   "\033[1;31m"
#define AGENDA_RESET "\033[0m"

struct agenda_item {
	const char *kind;       /* "followup", "promise.target", "promise.due" */
	int64_t id;
	int64_t at;
	const char *owner;
	const char *text;
	const char *account;
};

static int
agenda_cmp(const void *a, const void *b)
{
	const struct agenda_item *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int
cmd_agenda(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "days", required_argument, NULL, 'd' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct followup_filter ff;
	struct promise_filter pf;
	struct followup *fv = NULL;
	struct promise *pv = NULL;
	struct agenda_item *items = NULL;
	const struct config_person *p;
	const char *owner = NULL, *zone;
	char *err = NULL, *end, *ago, day[16], lastday[16] = "", when[96];
	int late, color = !c->json && cli_color();
	size_t nf = 0, np = 0, n = 0, i;
	long days = 7;
	time_t horizon;
	json_t *arr = NULL, *o;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': owner = optarg; break;
		case 'd':
			days = strtol(optarg, &end, 10);
			if (*end != '\0' || days < 1 || days > 3660)
				return cli_usage(cli_command("agenda"),
				    "--days wants a number of days, 1 to 3660");
			break;
		case 'J': c->json = 1; break;
		case 'h': printf("usage: nudge %s\n",
			      cli_command("agenda")->usage);
			return CLI_OK;
		default: return cli_usage(cli_command("agenda"), "bad option");
		}
	}
	if (optind != argc)
		return cli_usage(cli_command("agenda"), "unexpected '%s'",
		    argv[optind]);
	if ((rc = cli_open(c)) != CLI_OK)
		return rc;
	if (owner != NULL && cli_person(c, owner) == NULL)
		return CLI_USAGE;
	horizon = c->now + (time_t)days * 86400;

	memset(&ff, 0, sizeof(ff));
	ff.owner = owner;
	ff.to = horizon;
	memset(&pf, 0, sizeof(pf));
	pf.owner = owner;
	pf.state = "open";
	/* Open and due before the horizon: the overdue statement with the
	 * horizon as its moment, a range on the (state, due_at) index
	 * rather than every open promise. */
	pf.overdue = 1;
	pf.now = horizon;
	if (followup_list(c->st, &ff, &fv, &nf, &err) != 0 ||
	    promise_list(c->st, &pf, &pv, &np, &err) != 0) {
		rc = cli_fail(CLI_FAIL, err);
		goto out;
	}
	if ((items = calloc(nf + 2 * np + 1, sizeof(*items))) == NULL) {
		rc = cli_failx(CLI_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < nf; i++)
		items[n++] = (struct agenda_item){ "followup", fv[i].id,
		    fv[i].remind_at, fv[i].owner, fv[i].text, fv[i].account };
	for (i = 0; i < np; i++) {
		if (pv[i].due_at >= horizon)
			continue;
		/* The target only matters while it is still ahead. */
		if (pv[i].target_at >= c->now && pv[i].target_at < pv[i].due_at)
			items[n++] = (struct agenda_item){ "promise.target",
			    pv[i].id, pv[i].target_at, pv[i].owner,
			    pv[i].text, pv[i].account };
		items[n++] = (struct agenda_item){ "promise.due", pv[i].id,
		    pv[i].due_at, pv[i].owner, pv[i].text, pv[i].account };
	}
	qsort(items, n, sizeof(*items), agenda_cmp);
	if (c->json)
		arr = json_array();
	for (i = 0; i < n; i++) {
		p = config_person(c->cfg, items[i].owner);
		zone = p != NULL ? p->timezone : c->cfg->timezone;
		if (c->json) {
			o = json_pack("{s:s, s:I, s:s, s:s, s:s?, s:b}",
			    "kind", items[i].kind, "id",
			    (json_int_t)items[i].id, "owner", items[i].owner,
			    "text", items[i].text, "account",
			    items[i].account, "overdue",
			    items[i].at < c->now);
			jsonout_set_time(o, "at", items[i].at, zone);
			json_array_append_new(arr, o);
			continue;
		}
		cli_human_time(c, items[i].at, zone, when, sizeof(when));
		late = items[i].at < c->now;
		/* "(3 days ago)" reads "(3 days overdue)" in an agenda. */
		if (late && (ago = strstr(when, " ago)")) != NULL)
			snprintf(ago, sizeof(when) - (size_t)(ago - when),
			    " overdue)");
		/* when = "Wed 2026-12-02 10:00 (...)": group by the date. */
		snprintf(day, sizeof(day), "%.14s", when);
		if (late)
			snprintf(day, sizeof(day), "overdue");
		if (strcmp(day, lastday) != 0) {
			printf("%s%s%s%s\n", lastday[0] != '\0' ? "\n" : "",
			    color ? (late ? AGENDA_RED : AGENDA_BOLD) : "",
			    day, color ? AGENDA_RESET : "");
			snprintf(lastday, sizeof(lastday), "%s", day);
		}
		printf("  %s%s  %-14s%s #%-5lld %-10s %s%s%s\n",
		    color && late ? AGENDA_RED : "", when + 15, items[i].kind,
		    color && late ? AGENDA_RESET : "", (long long)items[i].id,
		    items[i].owner, items[i].text,
		    items[i].account != NULL ? " — " : "",
		    items[i].account != NULL ? items[i].account : "");
	}
	if (c->json)
		cli_print_json(arr);
	else if (n == 0)
		printf("nothing due in the next %ld days\n", days);
	rc = CLI_OK;
out:
	free(items);
	followup_list_free(fv, nf);
	promise_list_free(pv, np);
	return rc;
}
