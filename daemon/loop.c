#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "cadence.h"
#include "config.h"
#include "deliver.h"
#include "gate.h"
#include "http.h"
#include "log.h"
#include "outbox.h"
#include "runstate.h"
#include "schedule.h"
#include "storage.h"
#include "store.h"
#include "timeutil.h"
#include "wake.h"

/* Heartbeat when no watchdog is configured: `nudge status` calls the
 * daemon dead after three missed beats. */
#define LOOP_HEARTBEAT 60
/* Parallel connections to one receiver (keep-alive reuses them): as many
 * as transfers in flight, so curl never parks a transfer in its own
 * pending queue (where it waited for another to finish: late reminders). */
#define LOOP_MAX_HOST_CONNECTIONS DELIVER_MAX_INFLIGHT
/* poll(2) takes an int of milliseconds. */
#define LOOP_MAX_WAIT_MS (24 * 3600 * 1000)

struct loop {
	const struct loop_opts *opts;
	struct config *cfg;
	struct store *st;
	struct deliver *deliver;
	struct http *http;              /* NULL: no http group */
	int sigfd;
	int wakefd;
	int stop;
	int more_due;                   /* schedule_due has more batches */
	int sweep;                      /* plan every account's stay-in-touch
					   reminder (start, reload) */
	struct storage_watch storage;   /* faults, backoff, the file */
	int rc;                         /* exit status */
	int64_t due_ms;                 /* when loop_timeout's wait ends */
	uint64_t heartbeat_usec;        /* 0: LOOP_HEARTBEAT */
	time_t last_beat;
};

/* What a valid configuration may still do unsafely: said at every start
 * and reload so it is never forgotten. */
static void
loop_config_warnings(const struct config *cfg)
{
	const char *files[2];
	struct stat sb;
	size_t i, k;

	for (i = 0; i < cfg->nchannels; i++) {
		if (cfg->channels[i].type != CONFIG_CHANNEL_LOG &&
		    !cfg->channels[i].tls_verify)
			log_warnx("channel '%s': TLS certificate verification "
			    "is OFF (tls_verify = false)",
			    cfg->channels[i].name);
		files[0] = cfg->channels[i].password_file;
		files[1] = cfg->channels[i].secret_file;
		for (k = 0; k < 2; k++)
			if (files[k] != NULL && stat(files[k], &sb) == 0 &&
			    (sb.st_mode & S_IROTH))
				log_warnx("channel '%s': secret file %s is "
				    "readable by everyone; chmod o-r it",
				    cfg->channels[i].name, files[k]);
	}
}

/* SIGHUP: re-read the configuration; on error keep the old one. */
static void
loop_reload(struct loop *l)
{
	struct config *cfg = NULL;
	char *err = NULL;

	sd_notify(0, "RELOADING=1");
	if (config_load(l->opts->config_path, &cfg, &err) != 0) {
		log_warnx("reload failed, keeping the running configuration: "
		    "%s", err);
		free(err);
	} else if (strcmp(cfg->database, l->cfg->database) != 0) {
		log_warnx("reload: the database path changed (%s -> %s); that "
		    "needs a restart, keeping the running configuration",
		    l->cfg->database, cfg->database);
		config_free(cfg);
	} else {
		if (cfg->http.enabled != l->cfg->http.enabled)
			log_warnx("reload: the http group was %s; that needs "
			    "a restart", cfg->http.enabled ? "added" :
			    "removed");
		/* The listener's threads read it under the gate, held. */
		http_set_config(l->http, cfg);
		config_free(l->cfg);
		l->cfg = cfg;
		l->sweep = 1;
		deliver_forget_secrets(l->deliver);
		log_info("configuration reloaded from %s", cfg->path);
		loop_config_warnings(cfg);
	}
	sd_notify(0, "READY=1");
}

static void
loop_signals(struct loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("signal %d: stopping", (int)si.ssi_signo);
			l->stop = 1;
			break;
		case SIGHUP:
			loop_reload(l);
			break;
		}
	}
}

static int64_t
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the database may be touched now: not while backing off from
 * a fault.  Transfers that ended are taken meanwhile (their outcomes
 * wait for the next attempt), or their fd would wake the poll at once. */
static int
loop_may_try(struct loop *l)
{
	if (storage_may_try(&l->storage, loop_now_ms()))
		return 1;
	deliver_collect(l->deliver);
	return 0;
}

/* Record the transfers that ended and fill the free slots from the
 * outbox.  A failure is a fault: said once, retried with backoff. */
static int
loop_deliver(struct loop *l, time_t now, int *sent)
{
	char *err = NULL;

	if (!loop_may_try(l))
		return -1;
	if (deliver_start(l->deliver, l->st, l->cfg, now, sent, &err) != 0) {
		storage_failed(&l->storage, err, loop_now_ms());
		return -1;
	}
	return 0;
}

/* Scheduling (one batch of due follow-ups) and delivery for what is due
 * now. */
static int
loop_work(struct loop *l, time_t now)
{
	char *err = NULL;
	int made = 0, weekly = 0, queued = 0, sent = 0;

	if (!loop_may_try(l))
		return -1;
	/* The cadences may have changed: every account is planned anew. */
	if (l->sweep && cadence_sweep(l->st, l->cfg, now, &err) == 0)
		l->sweep = 0;
	if (err != NULL || schedule_events(l->st, l->cfg, now, &made,
	    &err) != 0 ||
	    summary_make(l->st, l->cfg, now, &weekly, &err) != 0 ||
	    schedule_due(l->st, l->cfg, now, &queued, &l->more_due,
	    &err) != 0) {
		storage_failed(&l->storage, err, loop_now_ms());
		/* Ended transfers wait to be recorded, and their slots to
		 * be refilled: tried with the rest after the backoff. */
		deliver_collect(l->deliver);
		return -1;
	}
	if (loop_deliver(l, now, &sent) != 0)
		return -1;
	/* A turn that wrote nothing proves nothing (a full disk still
	 * reads): a fault clears on a write, here or the heartbeat's. */
	if (made > 0 || weekly > 0 || queued > 0 || sent > 0)
		storage_ok(&l->storage);
	if (weekly > 0)
		log_info("made %d weekly summaries", weekly);
	if (made > 0 || queued > 0 || sent > 0)
		log_debug("scheduled %d follow-ups, queued %d deliveries, "
		    "started %d", made, queued, sent);
	return 0;
}

static void
loop_beat(struct loop *l, time_t now)
{
	struct outbox_counts oc;
	char next_iso[TIMEUTIL_ISO_MAX] = "nothing", *err = NULL;
	char status[512];
	int64_t next;
	int found;

	l->last_beat = now;
	if (storage_moved(&l->storage)) {
		sd_notify(0, "STATUS=database file gone or replaced: exiting");
		l->stop = 1;
		l->rc = 1;
		return;
	}
	/* During a fault STATUS= says it, and the database is left alone
	 * until its backoff ends. */
	if (!storage_may_try(&l->storage, loop_now_ms()) ||
	    runstate_heartbeat(l->st, now, &err) != 0) {
		if (err != NULL)
			storage_failed(&l->storage, err, loop_now_ms());
		if (!storage_status(&l->storage, status, sizeof(status)))
			snprintf(status, sizeof(status), "heartbeat not written");
		sd_notifyf(0, "WATCHDOG=1\nSTATUS=%s", status);
		return;
	}
	storage_ok(&l->storage);
	/* What `systemctl status nudged` shows between the journal lines. */
	if (schedule_next(l->st, 1, NULL, &next, &found, NULL) == 0 && found)
		timeutil_format_iso((time_t)next, NULL, next_iso,
		    sizeof(next_iso));
	if (outbox_count(l->st, 0, &oc, NULL) == 0)
		sd_notifyf(0, "WATCHDOG=1\nSTATUS=%lld queued, %lld failing, "
		    "%lld dead; next due %s", (long long)oc.queued,
		    (long long)oc.failing, (long long)oc.dead, next_iso);
	else
		sd_notify(0, "WATCHDOG=1");
}

/* Wait up to timeout ms for ended transfers or for one of the nextra
 * extra fds; the sender runs the transfers meanwhile. */
static void
loop_wait(struct loop *l, struct pollfd *extra, int nextra, int timeout)
{
	struct pollfd fds[3];
	int i;

	fds[0].fd = deliver_fd(l->deliver);
	fds[0].events = POLLIN;
	for (i = 0; i < nextra; i++)
		fds[1 + i] = extra[i];
	/* Asleep, the library is the HTTP listener's (daemon/gate.h). */
	gate_leave();
	i = poll(fds, (nfds_t)(1 + nextra), timeout);
	gate_enter_loop();
	if (i < 0 && errno != EINTR)
		log_warnx("poll: %s", strerror(errno));
	for (i = 0; i < nextra; i++)
		extra[i].revents = fds[1 + i].revents;
}

/*
 * Stopping: take no new work, give the transfers in flight up to one
 * delivery timeout to finish.  Whatever is still in flight then stays
 * `sending` and goes out again, with the same id, at the next start.
 */
static void
loop_drain(struct loop *l)
{
	time_t deadline = time(NULL) + (time_t)l->cfg->delivery.timeout.seconds;
	char *err = NULL;

	deliver_hold(l->deliver);
	while (deliver_inflight(l->deliver) > 0 && time(NULL) < deadline) {
		log_flush();
		loop_wait(l, NULL, 0, 200);
		if (deliver_reap(l->deliver, l->st, l->cfg, &err) != 0) {
			log_warnx("recording delivery outcomes: %s", err);
			free(err);
			err = NULL;
		}
	}
	if (deliver_inflight(l->deliver) > 0)
		log_warnx("%d deliveries still in flight at stop: they go out "
		    "again at the next start", deliver_inflight(l->deliver));
}

/* --once: everything due now, including retries that come due while we
 * work, until nothing is due and nothing is in flight. */
static int
loop_once(struct loop *l)
{
	time_t now = l->opts->once_now != 0 ? l->opts->once_now : time(NULL);

	if (loop_work(l, now) != 0)
		return 1;
	while (deliver_inflight(l->deliver) > 0 || l->more_due) {
		log_flush();
		loop_wait(l, NULL, 0, l->more_due ? 0 : 1000);
		if (loop_work(l, now) != 0)
			return 1;
	}
	return 0;
}

/*
 * Milliseconds until the next thing to do; l->due_ms is that moment.
 * Counted in milliseconds from the real clock, not whole seconds from
 * time(): a due second is then met at its start, not at whatever phase
 * of the second nudged woke in.
 */
static int
loop_timeout(struct loop *l)
{
	int64_t next = 0, now_ms = loop_now_ms(), wait, beat, backoff;
	char *err = NULL, *full;
	time_t weekly, now_s = (time_t)(now_ms / 1000);
	int found = 0, rc;

	l->due_ms = now_ms;
	/* Backing off from a fault, the next attempt is the next thing to
	 * do, whatever is due: it was what spun (53,881 log lines in 4.5 s
	 * with the disk full). */
	backoff = storage_wait_ms(&l->storage, now_ms);
	if (l->more_due && backoff < 0)
		return 0;
	beat = l->heartbeat_usec != 0 ?
	    (int64_t)(l->heartbeat_usec / 2 / 1000000) : LOOP_HEARTBEAT;
	if (beat < 1)
		beat = 1;
	wait = ((int64_t)l->last_beat + beat) * 1000 - now_ms;
	/* With every slot busy a due delivery waits for a transfer to end,
	 * and that wakes the poll anyway: counting it here would spin.  So
	 * does one for a channel with its share out (a receiver that
	 * hangs). */
	if (backoff < 0) {
		full = deliver_full_channels(l->deliver);
		rc = schedule_next(l->st, deliver_free_slots(l->deliver) > 0,
		    full, &next, &found, &err);
		free(full);
		if (rc != 0) {
			storage_failed(&l->storage, err, now_ms);
			backoff = storage_wait_ms(&l->storage, now_ms);
		}
	}
	if (backoff >= 0 && backoff < wait)
		wait = backoff;
	if (found && next * 1000 - now_ms < wait)
		wait = next * 1000 - now_ms;
	if ((weekly = summary_next(l->cfg, now_s)) != 0 &&
	    (int64_t)weekly * 1000 - now_ms < wait)
		wait = (int64_t)weekly * 1000 - now_ms;
	if (wait <= 0)
		return 0;
	if (wait > LOOP_MAX_WAIT_MS)
		wait = LOOP_MAX_WAIT_MS;
	l->due_ms = now_ms + wait;
	/* time() can trail the clock read here by a tick: wake a little
	 * after the boundary so the second has surely begun. */
	return (int)wait + 5;
}

/* The sender thread (daemon/sender.h). */
static void
loop_start_sender(struct loop *l)
{
	char *err = NULL;

	/* The loop changes TZ for each person's zone (timeutil.h) while curl,
	 * on the sender thread, reads the proxy variables.  glibc's setenv()
	 * replaces the value of a variable already there with one pointer
	 * store and never frees the old value; only adding a variable moves
	 * the environment.  So TZ is added now, before the thread exists
	 * (timeutil sets it before every conversion, so "UTC0" is never
	 * read as such). */
	if (setenv("TZ", "UTC0", 0) != 0)
		fatalx(1, "setenv TZ: %s", strerror(errno));
	if ((l->deliver = deliver_new((long)LOOP_MAX_HOST_CONNECTIONS,
	    &err)) == NULL)
		fatalx(1, "%s", err);
}

/* The signals, the wake-up socket, the watchdog and the runstate row,
 * then the sender; READY=1.  Failures here are fatal. */
static void
loop_open(struct loop *l, char *path, size_t len)
{
	sigset_t mask;
	char *err = NULL;
	time_t now;
	int failed;

	/* The sender thread blocks every signal itself (sender_start). */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((l->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatalx(1, "signalfd: %s", strerror(errno));
	if (wake_socket_path(l->cfg->runtime_dir, path, len, &err) != 0 ||
	    wake_listen(path, &l->wakefd, &err) != 0)
		fatalx(1, "%s", err);
	if (sd_watchdog_enabled(0, &l->heartbeat_usec) <= 0)
		l->heartbeat_usec = 0;

	now = time(NULL);
	if (runstate_started(l->st, getpid(), NUDGE_VERSION, now, &err) != 0)
		fatalx(1, "%s", err);
	/* The listener after the signal mask (its threads inherit it);
	 * one that cannot listen stops nudged, as a bad config would. */
	if ((l->http = http_start(l->cfg, &err, &failed)) == NULL && failed)
		fatalx(1, "%s", err);
	/* Last: nothing above exits with the thread running. */
	loop_start_sender(l);
	l->last_beat = now;
	sd_notify(0, "READY=1");
	log_info("nudged %s ready: database %s, wake-up socket %s",
	    NUDGE_VERSION, l->cfg->database, path);
}

/* Turn until told to stop: work, beat, sleep until something happens. */
static void
loop_turns(struct loop *l)
{
	struct pollfd extra[2];
	int work = 1, sent;
	time_t now;

	while (!l->stop) {
		now = time(NULL);
		/* Woken only by transfers: nothing new can be due to
		 * schedule, but their slots can take what the outbox holds. */
		if (work)
			loop_work(l, now);
		else
			loop_deliver(l, now, &sent);
		now = time(NULL);
		if (now - l->last_beat >= (l->heartbeat_usec != 0 ?
		    (time_t)(l->heartbeat_usec / 2 / 1000000) : LOOP_HEARTBEAT))
			loop_beat(l, now);
		memset(extra, 0, sizeof(extra));
		extra[0].fd = l->sigfd;
		extra[0].events = POLLIN;
		extra[1].fd = l->wakefd;
		extra[1].events = POLLIN;
		log_flush();
		loop_wait(l, extra, 2, loop_timeout(l));
		/* Schedule only when something can have changed: the time
		 * came, the CLI woke us, or a signal (a reload) arrived. */
		work = extra[0].revents != 0 || extra[1].revents != 0 ||
		    loop_now_ms() >= l->due_ms;
		if (extra[0].revents != 0)
			loop_signals(l);
		if (extra[1].revents != 0)
			wake_drain(l->wakefd);
	}
}

int
loop_run(const struct loop_opts *o, struct config *cfg, struct store *st)
{
	struct loop l;
	char path[256], *err = NULL;
	int rc = 0, requeued;

	memset(&l, 0, sizeof(l));
	gate_enter_loop();
	l.opts = o;
	l.cfg = cfg;
	l.sweep = 1;
	l.st = st;
	l.sigfd = l.wakefd = -1;
	storage_watch_start(&l.storage, cfg->database, o->lockfd);

	loop_config_warnings(cfg);
	if (outbox_requeue_sending(st, time(NULL), &requeued, &err) != 0) {
		log_warnx("%s", err);
		free(err);
		config_free(l.cfg);
		gate_leave();
		return 1;
	}
	if (requeued > 0)
		log_info("%d deliveries interrupted by a stop are queued "
		    "again with their ids", requeued);
	if (o->once) {
		loop_start_sender(&l);
		rc = loop_once(&l);
		deliver_free(l.deliver);
		config_free(l.cfg);
		gate_leave();
		return rc;
	}

	loop_open(&l, path, sizeof(path));
	loop_turns(&l);
	sd_notify(0, "STOPPING=1");
	/* Its requests finish first: they may be waiting for the gate. */
	gate_leave();
	http_stop(l.http);
	gate_enter_loop();
	loop_drain(&l);
	/* What `nudge status` tells a stop from a crash by. */
	if (runstate_stopped(st, time(NULL), &err) != 0) {
		log_warnx("recording the stop: %s", err);
		free(err);
	}
	deliver_free(l.deliver);
	close(l.sigfd);
	close(l.wakefd);
	unlink(path);
	config_free(l.cfg);
	log_info("stopped");
	gate_leave();
	return l.rc;
}
