/*
 * nudge agenda: what is coming, grouped by day: follow-ups to do, promise
 * targets and promise due dates, and what is already overdue.  One
 * timeline in the viewer's zone (the configuration's, or --tz), and the
 * owner's own clock beside an item where it reads otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "person.h"
#include "config.h"
#include "jsonout.h"
#include "time_zone.h"

/* Colour only on a terminal, never with NO_COLOR (cli_color()). */
#define AGENDA_BOLD  "\033[1m"
#define AGENDA_RED   "\033[1;31m"
#define AGENDA_RESET "\033[0m"
/* "10:00 (12 months overdue)" */
#define AGENDA_WHEN_COLS 25

/* The day heading and time of an item as people read them: "Wed
 * 2026-12-02" and "10:00 (in 3 days)", or "overdue" and "10:00 (3 days
 * overdue)". */
static void
agenda_when(struct cli *c, const struct uc_agenda_item *it, const char *zone,
    char *when, size_t len, char *day, size_t daylen)
{
	char *ago;

	cli_human_time(c, it->at, zone, when, len);
	/* "(3 days ago)" reads "(3 days overdue)" in an agenda. */
	if (it->overdue && (ago = strstr(when, " ago)")) != NULL)
		snprintf(ago, len - (size_t)(ago - when), " overdue)");
	/* when = "Wed 2026-12-02 10:00 (...)": group by the date. */
	if (it->overdue)
		snprintf(day, daylen, "overdue");
	else
		snprintf(day, daylen, "%.14s", when);
}

/* An item's text and account, after the owner's own clock where it
 * differs from the viewer's at that moment: "(09:00 JST) ", or with the
 * weekday when the date differs too, "(Thu 01:00 JST) ". */
static void
agenda_text(struct cli *c, const struct uc_agenda_item *it,
    const char *viewer, char *buf, size_t len)
{
	const char *zone = person_zone(c->cfg, it->owner);
	char abbr[16], vabbr[16], when[96], theirs[48] = "";

	if (timeutil_zone_offset(zone, it->at, abbr, sizeof(abbr)) !=
	    timeutil_zone_offset(viewer, it->at, vabbr, sizeof(vabbr))) {
		/* when = "Wed 2026-12-02 10:00 (...)" */
		cli_human_time(c, it->at, zone, when, sizeof(when));
		snprintf(theirs, sizeof(theirs), "(%.*s%.5s %s) ",
		    timeutil_local_day(zone, it->at) !=
		    timeutil_local_day(viewer, it->at) ? 4 : 0, when,
		    when + 15, abbr);
	}
	snprintf(buf, len, "%s%s%s%s", theirs, it->text,
	    it->account != NULL ? " \u2014 " : "",
	    it->account != NULL ? it->account : "");
}

static void
agenda_print(struct cli *c, const struct uc_agenda *a, long days,
    const char *viewer)
{
	const struct uc_agenda_item *it;
	char day[16], lastday[16] = "", when[96], id[24], text[4200];
	int color = cli_color(), width = cli_width();
	size_t i;

	for (i = 0; i < a->n; i++) {
		it = &a->items[i];
		agenda_when(c, it, viewer, when, sizeof(when), day,
		    sizeof(day));
		if (strcmp(day, lastday) != 0) {
			printf("%s%s%s%s\n", lastday[0] != '\0' ? "\n" : "",
			    color ? (it->overdue ? AGENDA_RED : AGENDA_BOLD) :
			    "", day, color ? AGENDA_RESET : "");
			snprintf(lastday, sizeof(lastday), "%s", day);
		}
		/* Fixed columns, so a longer "(in 3 days)" shifts nothing;
		 * the text and account take what the terminal has left. */
		fputs(color && it->overdue ? "  " AGENDA_RED : "  ", stdout);
		cli_cell(when + 15, AGENDA_WHEN_COLS, 0);
		cli_cell(it->kind, 14, 0);
		fputs(color && it->overdue ? AGENDA_RESET : "", stdout);
		snprintf(id, sizeof(id), "#%lld", (long long)it->id);
		cli_cell(id, 6, 0);
		cli_cell(it->owner, 8, 0);
		agenda_text(c, it, viewer, text, sizeof(text));
		cli_cell(text, width - (2 + AGENDA_WHEN_COLS + 14 + 6 + 8 + 4),
		    1);
	}
	if (a->n == 0)
		printf("nothing due in the next %ld days\n", days);
}

enum { AG_OWNER, AG_DAYS, AG_TZ };
static const struct cli_opt agenda_opts[] = {
	[AG_OWNER] = CLI_OPT_OWNER,
	[AG_DAYS] = { "days", 0, "N", 0, 0, "how many days ahead (default 7)" },
	[AG_TZ] = { "tz", 0, "ZONE", 0, 0,
	    "days and times in ZONE, not the configuration's" },
	CLI_OPT_END,
};

/* --days N into *days (7 without it): CLI_OK or the usage error; its
 * range is uc_agenda()'s to refuse. */
static int
agenda_days(const struct cli_args *a, long *days)
{
	char *end;

	*days = 7;
	if (a->v[AG_DAYS] == NULL)
		return CLI_OK;
	*days = strtol(a->v[AG_DAYS], &end, 10);
	/* The range is uc_agenda()'s rule; said here as well so that the
	 * usage lines follow, as for any other bad option. */
	if (*end != '\0' || end == a->v[AG_DAYS] || *days < 1 ||
	    *days > UC_AGENDA_MAX_DAYS)
		return cli_usage(a, "--days wants a number of days, 1 to %d",
		    UC_AGENDA_MAX_DAYS);
	return CLI_OK;
}

static int
agenda_exec(struct cli *c, const struct cli_args *a)
{
	const char *tz = a->v[AG_TZ];
	struct uc_agenda ag;
	char *err = NULL;
	long days;
	int rc;

	if ((rc = agenda_days(a, &days)) != CLI_OK)
		return rc;
	if (tz != NULL && !timeutil_zone_valid(tz))
		return cli_usage(a, "--tz: unknown time zone '%s' (a name such "
		    "as Europe/Stockholm or Asia/Tokyo)", tz);
	if ((rc = cli_ctx(c)) != CLI_OK)
		return rc;
	if ((rc = cli_uc_status(uc_agenda(&c->uc, a->v[AG_OWNER], days, &ag,
	    &err), &err)) != CLI_OK) {
		uc_agenda_clear(&ag);
		return rc;
	}
	if (c->json)
		/* ISO 8601 says its offset, the owner's or tz's. */
		rc = cli_print_json(uc_agenda_json(&ag, c->cfg, tz));
	else
		agenda_print(c, &ag, days, tz != NULL ? tz : c->cfg->timezone);
	uc_agenda_clear(&ag);
	return rc;
}

const struct cli_sub cli_agenda_subs[] = {
	{ NULL, NULL, 0, 0, agenda_exec, agenda_opts,
	    "what is coming, grouped by day: follow-ups, promise targets and "
	    "due dates, and what is overdue", NULL },
	CLI_SUB_END,
};
