/* Action links (lib/link.c, lib/link_key.c): tokens made and verified,
 * every kind of tampering refused, expiry, the previous key, the form
 * parser, and the key file's mode and rotation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link.h"
#include "link_key.h"

static const struct link sample = { 'f', 42, LINK_DONE | LINK_SNOOZE,
    2000000000 };

static void
keys_fill(struct link_keys *k, unsigned char cur, unsigned char prev)
{
	memset(k, 0, sizeof(*k));
	memset(k->cur, cur, sizeof(k->cur));
	memset(k->prev, prev, sizeof(k->prev));
	k->has_prev = prev != 0;
}

static enum link_verdict
verify(const char *tok, const struct link_keys *k, const char *dbid,
    time_t now, struct link *out)
{
	return link_verify(tok, strlen(tok), k, dbid, now, out);
}

static void
test_make_verify(void **state)
{
	struct link_keys k;
	struct link got;
	char tok[LINK_TOKEN_MAX];

	(void)state;
	keys_fill(&k, 7, 0);
	assert_int_equal(link_make(&sample, k.cur, "db1", tok), 0);
	assert_true(strncmp(tok, "f42.3.2000000000.", 17) == 0);
	assert_int_equal(strlen(tok), 17 + LINK_SIG_CHARS);
	assert_int_equal(verify(tok, &k, "db1", 1999999999, &got), LINK_VALID);
	assert_int_equal(got.kind, 'f');
	assert_int_equal(got.id, 42);
	assert_int_equal(got.actions, LINK_DONE | LINK_SNOOZE);
	/* The moment it expires, and after. */
	assert_int_equal(verify(tok, &k, "db1", 2000000000, &got),
	    LINK_EXPIRED);
	assert_int_equal(got.id, 42);
	/* Another database, another key. */
	assert_int_equal(verify(tok, &k, "db2", 0, &got), LINK_FORGED);
	keys_fill(&k, 8, 0);
	assert_int_equal(verify(tok, &k, "db1", 0, &got), LINK_FORGED);
	/* A rotated key: the previous one still verifies. */
	keys_fill(&k, 8, 7);
	assert_int_equal(verify(tok, &k, "db1", 0, &got), LINK_VALID);
}

/* Each character changed, each field widened: never valid. */
static void
test_tampered(void **state)
{
	static const char *const edits[] = {
		"p42.3.2000000000.", "f43.3.2000000000.", "f42.15.2000000000.",
		"f42.3.2000000001.", "f042.3.2000000000.", "f42.03.2000000000.",
		"f42.3.+2000000000.",
	};
	struct link_keys k;
	struct link got;
	char tok[LINK_TOKEN_MAX], bad[LINK_TOKEN_MAX + 8];
	size_t i, len;

	(void)state;
	keys_fill(&k, 7, 0);
	assert_int_equal(link_make(&sample, k.cur, "db", tok), 0);
	len = strlen(tok);
	for (i = 0; i < len; i++) {
		memcpy(bad, tok, len + 1);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		assert_int_not_equal(verify(bad, &k, "db", 0, &got),
		    LINK_VALID);
	}
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		snprintf(bad, sizeof(bad), "%s%s", edits[i], tok + 17);
		assert_int_not_equal(verify(bad, &k, "db", 0, &got),
		    LINK_VALID);
	}
	assert_int_equal(verify("", &k, "db", 0, &got), LINK_MALFORMED);
	memcpy(bad, tok, len - 1);      /* cut short */
	bad[len - 1] = '\0';
	assert_int_equal(verify(bad, &k, "db", 0, &got), LINK_MALFORMED);
}

static void
test_make_refuses(void **state)
{
	struct link l = sample;
	char tok[LINK_TOKEN_MAX];
	unsigned char key[LINK_KEY_BYTES] = { 0 };

	(void)state;
	l.kind = 'x';
	assert_int_equal(link_make(&l, key, "db", tok), -1);
	l = sample;
	l.actions = 0;
	assert_int_equal(link_make(&l, key, "db", tok), -1);
	l.actions = 0x10;
	assert_int_equal(link_make(&l, key, "db", tok), -1);
	l = sample;
	l.id = 0;
	assert_int_equal(link_make(&l, key, "db", tok), -1);
}

static void
test_form(void **state)
{
	struct link_form f;
	char *err = NULL, big[LINK_FORM_MAX + 2];
	const char *body = "action=done&note=called+%C3%A5sa%21&x=1&snooze=";

	(void)state;
	assert_int_equal(link_form_parse(body, strlen(body), &f, &err), 0);
	assert_string_equal(f.action, "done");
	assert_string_equal(f.note, "called \xc3\xa5sa!");
	assert_string_equal(f.snooze, "");
	assert_int_equal(link_action_bit(f.action), LINK_DONE);
	assert_int_equal(link_action_bit("delete"), 0);
	assert_int_equal(link_form_parse("note=a&note=b", 13, &f, &err), -1);
	assert_non_null(strstr(err, "twice"));
	free(err);
	err = NULL;
	assert_int_equal(link_form_parse("note=%4", 7, &f, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(link_form_parse("note=%00", 8, &f, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(link_form_parse("action=renegotiate-it-now", 25, &f,
	    &err), -1);
	free(err);
	err = NULL;
	memset(big, 'a', sizeof(big));
	assert_int_equal(link_form_parse(big, sizeof(big), &f, &err), -1);
	free(err);
}

static void
test_key_file(void **state)
{
	char dir[] = "/tmp/nudge-test-link-XXXXXX", path[128], *err = NULL;
	struct link_keys a, b;
	struct stat sb;
	int created;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k", dir);
	assert_int_equal(link_keys_ensure(path, &a, &created, &err), 0);
	assert_int_equal(created, 1);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(link_keys_ensure(path, &b, &created, &err), 0);
	assert_int_equal(created, 0);
	assert_memory_equal(a.cur, b.cur, LINK_KEY_BYTES);
	assert_int_equal(link_keys_rotate(path, 0, &err), 0);
	assert_int_equal(link_keys_load(path, &b, NULL, &err), 0);
	assert_true(b.has_prev);
	assert_memory_equal(a.cur, b.prev, LINK_KEY_BYTES);
	assert_memory_not_equal(a.cur, b.cur, LINK_KEY_BYTES);
	assert_int_equal(link_keys_rotate(path, 1, &err), 0);
	assert_int_equal(link_keys_load(path, &a, NULL, &err), 0);
	assert_false(a.has_prev);
	/* Open to others: refused. */
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(link_keys_load(path, &a, NULL, &err), -1);
	assert_non_null(strstr(err, "open to others"));
	free(err);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_verify),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_make_refuses),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_key_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
