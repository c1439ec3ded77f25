/*
 * A list command's records printed, as a table or --json, then freed; the
 * records listed by owner (deal, promise, follow-up) by one row and one
 * JSON function read through their kind's field offsets.
 */
#include "cli.h"

#include <stdio.h>

#include "person.h"

/* The (char *) and int64_t fields of record e at offset at. */
#define REC_STR(e, at) (*(char *const *)((const char *)(e) + (at)))
#define REC_INT(e, at) (*(const int64_t *)((const char *)(e) + (at)))

/* The record kind whose list l is (its first member). */
#define REC_OF(l) ((const struct cli_record *)(l))

void
cli_record_row(struct cli *c, const struct cli_list *l,
    const struct cli_table *t, const void *e)
{
	const struct cli_record *r = REC_OF(l);
	const char *owner = REC_STR(e, r->owner), *cells[6];
	char buf[96], id[24];
	size_t n = 0;

	snprintf(id, sizeof(id), "%lld", (long long)REC_INT(e, r->id));
	cells[n++] = id;
	cells[n++] = REC_STR(e, r->state);
	cells[n++] = owner;
	if (r->with_account)
		cells[n++] = REC_STR(e, r->account);
	cells[n++] = cli_table_time(c, REC_INT(e, r->when), person_zone(c->cfg,
	    owner), buf, sizeof(buf));
	cells[n] = REC_STR(e, r->text);
	cli_table_row(t, cells);
}

json_t *
cli_record_json(struct cli *c, const struct cli_list *l, const void *e)
{
	const struct cli_record *r = REC_OF(l);

	return r->json(e, person_zone(c->cfg, REC_STR(e, r->owner)));
}

/* The n records at v, as l says.  Exit status. */
static int
cli_list_print(struct cli *c, const struct cli_list *l, const void *v,
    size_t n)
{
	struct cli_table t;
	const char *e;
	json_t *arr;
	size_t i;

	arr = c->json ? json_array() : NULL;
	if (!c->json && !cli_table_head(c, n, l->what, l->cols, &t))
		return CLI_OK;
	for (i = 0, e = v; i < n; i++, e += l->size)
		if (c->json)
			json_array_append_new(arr, l->json(c, l, e));
		else
			l->row(c, l, &t, e);
	return c->json ? cli_print_json(arr) : CLI_OK;
}

int
cli_list_out(struct cli *c, const struct cli_list *l, int listed, char *err,
    void *v, size_t n)
{
	int rc;

	if (listed != 0)
		return cli_fail(CLI_FAIL, err);
	rc = cli_list_print(c, l, v, n);
	l->free_list(v, n);
	return rc;
}

int
cli_record_list(struct cli *c, const struct cli_record *r,
    const void *filter, const char *owner)
{
	void *v = NULL;
	char *err = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cli_open_owner(c, owner)) != CLI_OK)
		return rc;
	rc = r->get(c->st, filter, &v, &n, &err);
	return cli_list_out(c, &r->list, rc, err, v, n);
}

/* Record e of kind r printed: --json its JSON in its owner's zone, else
 * as human() says it for people. */
static void
cli_record_print(struct cli *c, const struct cli_record *r, const void *e,
    cli_human_fn *human)
{
	if (c->json)
		cli_print_json(cli_record_json(c, &r->list, e));
	else
		human(c, e);
}

int
cli_record_done(struct cli *c, const struct cli_record *r,
    enum uc_status st, char **errp, void *e, cli_human_fn *human)
{
	int rc = cli_uc_status(st, errp);

	if (rc == CLI_OK) {
		cli_wake(c);
		cli_record_print(c, r, e, human);
	}
	r->clear(e);
	return rc;
}

int
cli_record_add(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, void *req, size_t size, cli_add_fn *add,
    void *e, cli_human_fn *human)
{
	char *err = NULL;
	int rc;

	if ((rc = cli_fill(c, a, req, size)) != CLI_OK)
		return rc;
	return cli_record_done(c, r, add(&c->uc, req, e, &err), &err, e,
	    human);
}

int
cli_record_change(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, cli_change_fn *change, void *e,
    cli_human_fn *human)
{
	char *err = NULL;
	int64_t id;
	int rc;

	if ((rc = cli_arg_id(a, 0, r->noun, &id)) != CLI_OK ||
	    (rc = cli_ctx(c)) != CLI_OK)
		return rc;
	return cli_record_done(c, r, change(c, a, id, e, &err), &err, e,
	    human);
}

int
cli_record_get(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, void *e, int64_t *id)
{
	char *err = NULL;
	int rc;

	if ((rc = cli_arg_id(a, 0, r->noun, id)) != CLI_OK ||
	    (rc = cli_open(c)) != CLI_OK)
		return rc;
	if (r->get_id(c->st, *id, e, &err) != 0)
		return cli_fail(CLI_USAGE, err);
	return CLI_OK;
}

int
cli_record_show(struct cli *c, const struct cli_args *a,
    const struct cli_record *r, void *e, cli_human_fn *human)
{
	int64_t id;
	int rc;

	if ((rc = cli_record_get(c, a, r, e, &id)) != CLI_OK)
		return rc;
	cli_record_print(c, r, e, human);
	r->clear(e);
	return CLI_OK;
}

const char *
cli_given_name(const struct cli_args *a, int from, int to)
{
	int i;

	for (i = from; i <= to; i++)
		if (a->v[i] != NULL)
			return a->sub->opts[i].name;
	return NULL;
}
