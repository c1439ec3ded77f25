/* Standard Webhooks signatures: the spec's own example, and the keyed
 * HMAC that webhook.c keeps between signatures following the secret. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "reminder.h"
#include "transfer.h"
#include "webhook.h"

/* From the Standard Webhooks specification (and its reference
 * libraries' tests). */
#define SPEC_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SPEC_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define SPEC_TS 1614265330LL
#define SPEC_BODY "{\"test\": 2432232314}"
#define SPEC_SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
/* The same message under another key ("second secret key"), computed
 * with Python's hmac module. */
#define OTHER_SECRET "whsec_c2Vjb25kIHNlY3JldCBrZXk="
#define OTHER_SIG "v1,7LTx9fuUnhsRwi8+YMey3A9kvS/3eHU4TQhO9DLK1Xk="

static void
sign_ok(const char *secret, const char *want)
{
	char *sig = NULL, *err = NULL;

	assert_int_equal(webhook_sign(secret, SPEC_ID, SPEC_TS, SPEC_BODY,
	    &sig, &err), 0);
	assert_null(err);
	assert_string_equal(sig, want);
	free(sig);
}

static void
sign_fails(const char *secret, const char *why)
{
	char *sig = NULL, *err = NULL;

	assert_int_equal(webhook_sign(secret, SPEC_ID, SPEC_TS, SPEC_BODY,
	    &sig, &err), -1);
	assert_null(sig);
	assert_non_null(strstr(err, why));
	free(err);
}

static void
test_spec_example(void **state)
{
	(void)state;
	sign_ok(SPEC_SECRET, SPEC_SIG);
	/* Again, from the kept key. */
	sign_ok(SPEC_SECRET, SPEC_SIG);
}

static void
test_key_follows_secret(void **state)
{
	(void)state;
	sign_ok(SPEC_SECRET, SPEC_SIG);
	sign_ok(OTHER_SECRET, OTHER_SIG);
	sign_ok(SPEC_SECRET, SPEC_SIG);
	sign_ok(OTHER_SECRET, OTHER_SIG);
	/* A reload forgets the key; the next signature keys it again. */
	webhook_forget();
	assert_false(webhook_has_key());
	sign_ok(SPEC_SECRET, SPEC_SIG);
	webhook_forget();
}

static void
test_bad_secrets(void **state)
{
	(void)state;
	sign_ok(SPEC_SECRET, SPEC_SIG);
	sign_fails("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_");
	sign_fails("whsec_", "base64");
	sign_fails("whsec_abc", "base64");
	sign_fails("whsec_@@@@", "base64");
	/* A bad secret leaves the kept key alone. */
	sign_ok(SPEC_SECRET, SPEC_SIG);
}

/* Bodies of every size come out as json_dumps() writes them: small ones
 * through the stack buffer, big ones (a long digest) past it. */
static void
test_dump_any_size(void **state)
{
	static const size_t sizes[] = { 0, 1, 4000, 4059, 4060, 4061, 20000 };
	char *text, *a, *b;
	json_t *o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		text = malloc(sizes[i] + 1);
		assert_non_null(text);
		memset(text, 'x', sizes[i]);
		text[sizes[i]] = '\0';
		o = json_pack("{s:s, s:s}", "type", "nudge.reminder", "text",
		    text);
		assert_non_null(o);
		a = webhook_dump(o);
		b = json_dumps(o, JSON_COMPACT);
		assert_non_null(a);
		assert_string_equal(a, b);
		free(a);
		free(b);
		json_decref(o);
		free(text);
	}
}

/* A reminder of follow-up id, notified, due and reminded at `due`,
 * created at `created`; nothing else set. */
static void
set_reminder(struct reminder *r, int64_t id, const char *owner,
    const char *text, time_t due, time_t created)
{
	memset(r, 0, sizeof(*r));
	r->followup.id = id;
	r->followup.owner = (char *)owner;
	r->followup.text = (char *)text;
	r->followup.state = "notified";
	r->followup.due_at = r->followup.remind_at = due;
	r->followup.created_at = created;
}

/* The reminder body keeps its key order, and fails whole (as json_pack()
 * did) when a required field is missing or is not UTF-8: the delivery
 * is then retried, never sent malformed. */
static void
test_reminder_body(void **state)
{
	struct reminder r;
	json_t *o;
	char *body;

	(void)state;
	set_reminder(&r, 7, "anna", "Call Bo", 86400, 3600);
	r.followup.account = "Acme";
	r.followup.account_id = 3;
	r.zone = "Europe/Stockholm";
	/* The envelope's timestamp is the delivery row's, not the
	 * attempt's: the same at every retry.  Every time in UTC. */
	r.created_at = 86400 + 60;
	assert_non_null(o = reminder_json(&r, "nudge-7-0-6c6f67", 90000));
	assert_non_null(body = json_dumps(o, JSON_COMPACT));
	assert_string_equal(body, "{\"type\":\"reminder.due\","
	    "\"timestamp\":\"1970-01-02T00:01:00+00:00\",\"data\":{"
	    "\"delivery_id\":\"nudge-7-0-6c6f67\",\"text\":\"Call Bo\","
	    "\"link\":null,\"owner\":{\"handle\":\"anna\",\"timezone\":"
	    "\"Europe/Stockholm\"},\"followup\":{\"id\":7,"
	    "\"owner\":\"anna\",\"text\":\"Call Bo\",\"state\":"
	    "\"notified\",\"snoozes\":0,\"account\":\"Acme\",\"deal\":null,"
	    "\"promise\":null,\"rule\":null,\"note\":null,"
	    "\"folded_into\":null,\"due_at\":\"1970-01-02T00:00:00+00:00\","
	    "\"remind_at\":\"1970-01-02T00:00:00+00:00\",\"done_at\":null,"
	    "\"created_at\":\"1970-01-01T01:00:00+00:00\"},\"rule\":null,"
	    "\"event\":null,\"account\":{\"id\":3,\"name\":\"Acme\"},"
	    "\"deal\":null,\"promise\":null,\"items\":[]}}");
	free(body);
	json_decref(o);
	/* With a listener, the action page's link. */
	r.link = "https://nudge.example.com/l/f7.1.2.sig";
	assert_non_null(o = reminder_json(&r, "nudge-7-0-6c6f67", 90000));
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(o, "data"), "link")), r.link);
	json_decref(o);
	r.link = NULL;
	/* Without a row's time (none yet), the attempt's. */
	r.created_at = 0;
	assert_non_null(o = reminder_json(&r, "nudge-7-0-6c6f67", 90000));
	assert_string_equal(json_string_value(json_object_get(o,
	    "timestamp")), "1970-01-02T01:00:00+00:00");
	json_decref(o);
	r.followup.text = NULL;
	assert_null(reminder_json(&r, "nudge-7-0-6c6f67", 90000));
	r.followup.text = "Call \xff";
	assert_null(reminder_json(&r, "nudge-7-0-6c6f67", 90000));
	r.followup.text = "Call Bo";
	r.followup.owner = NULL;
	assert_null(reminder_json(&r, "nudge-7-0-6c6f67", 90000));
	assert_null(followup_json(&r.followup, NULL));
	/* An optional field that cannot be set is left out, as before. */
	r.followup.owner = "anna";
	r.followup.note = "\xff";
	assert_non_null(o = reminder_json(&r, "nudge-7-0-6c6f67", 90000));
	assert_null(json_object_get(json_object_get(json_object_get(o,
	    "data"), "followup"), "note"));
	json_decref(o);
}

/* The compact text of a fresh body for r, or of o filled again for r
 * (the fill returning want_rc). */
static char *
body_text(json_t *o, const struct reminder *r, const char *id, int want_rc)
{
	json_t *fresh = NULL;
	char *text;

	if (o == NULL)
		assert_non_null(fresh = reminder_json(r, id, 90000));
	else
		assert_int_equal(reminder_json_fill(o, r, id, 90000), want_rc);
	assert_non_null(text = json_dumps(o != NULL ? o : fresh,
	    JSON_COMPACT));
	json_decref(fresh);
	return text;
}

static void
assert_refill(json_t *o, const struct reminder *r, const char *id,
    int want_rc)
{
	char *want = body_text(NULL, r, id, 0), *got = body_text(o, r, id,
	    want_rc);

	assert_string_equal(got, want);
	free(want);
	free(got);
}

/* The daemon fills one body again for every reminder: each time it must
 * read exactly as a body made afresh for that reminder, with nothing
 * left of the one before (a name, a deal, a note, a rule), in the same
 * key order; a body with a key left out is said not to be refilled. */
static void
test_reminder_body_refilled(void **state)
{
	struct config_person anna, erik;
	struct reminder full, other, bare, bad;
	json_t *o;
	char *text;

	(void)state;
	memset(&anna, 0, sizeof(anna));
	anna.handle = "anna";
	anna.name = "Anna Berg";
	anna.email = "anna@example.org";
	erik = anna;
	erik.handle = "erik";
	erik.name = NULL;
	erik.email = "erik@example.org";
	set_reminder(&full, 7, "anna", "Call Bo about the photos", 86400,
	    3600);
	full.followup.account = "Acme";
	full.followup.rule = "second-chocolate";
	full.followup.note = "bring the album";
	full.followup.deal_id = 3;
	full.followup.snoozes = 2;
	full.link = "https://nudge.example.com/l/f7.1.2.sig";
	full.followup.done_at = 90000;
	full.owner = &anna;
	full.deal.id = 3;
	full.deal.title = "Roof";
	full.deal.account = "Acme";
	full.deal.owner = "anna";
	full.deal.stage = "won";
	full.deal.has_value = 1;
	full.deal.value_minor = 1250000;
	set_reminder(&other, 8, "erik", "Send the offer", 172800, 7200);
	other.owner = &erik;
	bare = other;
	bare.owner = NULL;              /* gone from the configuration */
	bad = full;
	bad.followup.note = "\xff";     /* optional, cannot be set */

	assert_non_null(o = json_object());
	assert_refill(o, &full, "nudge-7-0-6c6f67", 0);
	assert_refill(o, &other, "nudge-8-0-6c6f67", 0);
	assert_refill(o, &full, "nudge-7-1-6c6f67", 0);
	assert_refill(o, &full, "nudge-7-1-6c6f67", 0);
	assert_refill(o, &bad, "nudge-7-2-6c6f67", 1);
	json_decref(o);
	assert_non_null(o = json_object());
	assert_refill(o, &full, "nudge-7-0-6c6f67", 0);
	assert_refill(o, &bare, "nudge-8-1-6c6f67", 1);
	json_decref(o);
	text = body_text(NULL, &bad, "nudge-7-2-6c6f67", 0);
	assert_null(strstr(text, "bring the album"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_key_follows_secret),
		cmocka_unit_test(test_bad_secrets),
		cmocka_unit_test(test_dump_any_size),
		cmocka_unit_test(test_reminder_body),
		cmocka_unit_test(test_reminder_body_refilled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
