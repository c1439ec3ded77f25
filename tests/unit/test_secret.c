/* nudged's secret files: read, trimmed, found among systemd credentials,
 * kept until a reload, and never remembered when unreadable. */
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

#include "secret.h"

struct fixture {
	char dir[64];
	char path[128];
	char cred_dir[128];
};

static void
write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(content, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/nudge-secret-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/hook.secret", fx->dir);
	snprintf(fx->cred_dir, sizeof(fx->cred_dir), "%s/creds", fx->dir);
	unsetenv("CREDENTIALS_DIRECTORY");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char p[192];

	snprintf(p, sizeof(p), "%s/hook.secret", fx->cred_dir);
	unlink(p);
	rmdir(fx->cred_dir);
	unlink(fx->path);
	rmdir(fx->dir);
	unsetenv("CREDENTIALS_DIRECTORY");
	free(fx);
	return 0;
}

/* secret_read(path) succeeds with want. */
static void
expect_read(const char *path, const char *want)
{
	char *s = NULL, *err = NULL;

	assert_int_equal(secret_read(path, &s, &err), 0);
	assert_string_equal(s, want);
	free(s);
}

/* secrets_get(c, path) succeeds with want. */
static void
expect_cached(struct secrets *c, const char *path, const char *want)
{
	const char *v = NULL;
	char *err = NULL;

	assert_int_equal(secrets_get(c, path, &v, &err), 0);
	assert_string_equal(v, want);
}

static void
test_read_trims_newlines(void **state)
{
	struct fixture *fx = *state;

	write_file(fx->path, "whsec_abc\r\n\n");
	expect_read(fx->path, "whsec_abc");
}

static void
test_read_refuses_missing_and_large(void **state)
{
	struct fixture *fx = *state;
	char *s = NULL, *err = NULL, big[SECRET_MAX + 8];

	assert_int_equal(secret_read(fx->path, &s, &err), -1);
	assert_null(s);
	assert_non_null(strstr(err, fx->path));
	assert_non_null(strstr(err, "No such file"));
	free(err);
	err = NULL;
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(fx->path, big);
	assert_int_equal(secret_read(fx->path, &s, &err), -1);
	assert_non_null(strstr(err, "too large"));
	free(err);
}

static void
test_credentials_directory_wins(void **state)
{
	struct fixture *fx = *state;
	char p[192];

	write_file(fx->path, "from-file");
	assert_int_equal(mkdir(fx->cred_dir, 0700), 0);
	snprintf(p, sizeof(p), "%s/hook.secret", fx->cred_dir);
	write_file(p, "from-credential\n");
	setenv("CREDENTIALS_DIRECTORY", fx->cred_dir, 1);
	expect_read(fx->path, "from-credential");
	/* Without that credential, the configured file. */
	unlink(p);
	expect_read(fx->path, "from-file");
}

static void
test_cache_until_forget(void **state)
{
	struct fixture *fx = *state;
	struct secrets *c = secrets_new();

	assert_non_null(c);
	write_file(fx->path, "first");
	expect_cached(c, fx->path, "first");
	/* Replaced on disk: the daemon keeps what it read... */
	write_file(fx->path, "second");
	expect_cached(c, fx->path, "first");
	/* ...until the reload. */
	secrets_forget(c);
	expect_cached(c, fx->path, "second");
	secrets_free(c);
}

static void
test_cache_never_keeps_a_failure(void **state)
{
	struct fixture *fx = *state;
	struct secrets *c = secrets_new();
	const char *v = NULL;
	char *err = NULL;

	assert_non_null(c);
	assert_int_equal(secrets_get(c, fx->path, &v, &err), -1);
	assert_null(v);
	assert_non_null(strstr(err, "No such file"));
	free(err);
	err = NULL;
	/* Ops put the file in place: the next attempt finds it. */
	write_file(fx->path, "fixed");
	expect_cached(c, fx->path, "fixed");
	secrets_free(c);
	secrets_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_trims_newlines,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_read_refuses_missing_and_large, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_credentials_directory_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_until_forget,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cache_never_keeps_a_failure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
