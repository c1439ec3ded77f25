#include "sender.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "err.h"
#include "transfer.h"

/* curl_multi_poll takes an int of milliseconds; with nothing on the
 * network the sender sleeps until woken. */
#define SENDER_MAX_WAIT_MS (24 * 3600 * 1000)

/* A FIFO of transfers through their `next` pointers. */
struct sender_list {
	struct transfer *head, *tail;
	size_t n;
};

struct sender {
	pthread_t thread;
	CURLM *multi;
	int efd;                        /* eventfd: ended transfers wait */
	int inflight_max;
	/* The thread's own: what is on the multi handle. */
	struct transfer **active;
	int running;
	/* Under lock: */
	pthread_mutex_t lock;
	struct sender_list submitted;   /* to start, in order */
	struct sender_list ended;       /* to take back */
	int sleeping;                   /* in curl_multi_poll: wake it */
	int share;                      /* places one channel may hold */
	int hold;                       /* start nothing more */
	int stop;
};

static void
list_push(struct sender_list *l, struct transfer *t)
{
	t->next = NULL;
	if (l->tail != NULL)
		l->tail->next = t;
	else
		l->head = t;
	l->tail = t;
	l->n++;
}

static struct transfer *
list_pop(struct sender_list *l)
{
	struct transfer *t = l->head;

	if (t == NULL)
		return NULL;
	l->head = t->next;
	if (l->head == NULL)
		l->tail = NULL;
	t->next = NULL;
	l->n--;
	return t;
}

/* Take t, which follows prev (NULL: t is the head), out of l. */
static void
list_unlink(struct sender_list *l, struct transfer *prev, struct transfer *t)
{
	if (prev != NULL)
		prev->next = t->next;
	else
		l->head = t->next;
	if (l->tail == t)
		l->tail = prev;
	t->next = NULL;
	l->n--;
}

/* Append b to a, leaving b empty. */
static void
list_join(struct sender_list *a, struct sender_list *b)
{
	if (b->head == NULL)
		return;
	if (a->tail != NULL)
		a->tail->next = b->head;
	else
		a->head = b->head;
	a->tail = b->tail;
	a->n += b->n;
	memset(b, 0, sizeof(*b));
}

/* The list as an array (caller frees); NULL when empty or out of
 * memory (the transfers then leak: their rows stay `sending` and go out
 * again at the next start). */
static void
list_to_array(struct sender_list *l, struct transfer ***out, size_t *n)
{
	struct transfer **v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (l->n == 0 || (v = calloc(l->n, sizeof(*v))) == NULL)
		return;
	for (i = 0; l->head != NULL; i++)
		v[i] = list_pop(l);
	*out = v;
	*n = i;
}

/* Transfers that ended, off the multi handle, onto done. */
static void
sender_collect(struct sender *s, struct sender_list *done)
{
	struct transfer *t;
	CURLcode result;
	CURLMsg *m;
	int left, i;

	while ((m = curl_multi_info_read(s->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		t = NULL;
		result = m->data.result;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
		    (char **)&t);
		/* m is not ours to read once its handle is removed. */
		curl_multi_remove_handle(s->multi, t->easy);
		t->result = result;
		for (i = 0; i < s->running && s->active[i] != t; i++)
			;
		if (i < s->running)
			s->active[i] = s->active[--s->running];
		list_push(done, t);
	}
}

static void
sender_signal(struct sender *s)
{
	uint64_t one = 1;

	/* Only EAGAIN (the counter is full, so it is readable) can fail. */
	while (write(s->efd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

/* Whether t's channel holds fewer than its share of the places, counting
 * those about to start (under lock). */
static int
sender_may_start(const struct sender *s, const struct sender_list *start,
    const struct transfer *t)
{
	const struct transfer *o;
	int i, n = 0;

	if (s->share >= s->inflight_max)
		return 1;
	for (i = 0; i < s->running; i++)
		n += strcmp(s->active[i]->channel, t->channel) == 0;
	for (o = start->head; o != NULL; o = o->next)
		n += strcmp(o->channel, t->channel) == 0;
	return n < s->share;
}

/* Move the submitted transfers that may start to start, in the order
 * submitted: one whose channel holds its share waits while the others
 * pass it (under lock). */
static void
sender_fill(struct sender *s, struct sender_list *start)
{
	struct transfer *t, *prev = NULL, *next;

	for (t = s->submitted.head; t != NULL && !s->hold && s->running +
	    (int)start->n < s->inflight_max; t = next) {
		next = t->next;
		if (!sender_may_start(s, start, t)) {
			prev = t;
			continue;
		}
		list_unlink(&s->submitted, prev, t);
		list_push(start, t);
	}
}

/* Whether a submitted transfer could start now (under lock). */
static int
sender_startable(const struct sender *s)
{
	struct sender_list none;
	const struct transfer *t;

	if (s->hold || s->running >= s->inflight_max)
		return 0;
	memset(&none, 0, sizeof(none));
	for (t = s->submitted.head; t != NULL; t = t->next)
		if (sender_may_start(s, &none, t))
			return 1;
	return 0;
}

static void *
sender_main(void *arg)
{
	struct sender *s = arg;
	struct sender_list start, done;
	struct transfer *t;
	int numfds, still, signal_loop, sleep;

	memset(&start, 0, sizeof(start));
	memset(&done, 0, sizeof(done));
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		sender_fill(s, &start);
		pthread_mutex_unlock(&s->lock);

		while ((t = list_pop(&start)) != NULL) {
			/* Refused (out of memory): it ends at once, and the
			 * loop retries it like any failed attempt. */
			if (curl_multi_add_handle(s->multi, t->easy) !=
			    CURLM_OK) {
				t->result = CURLE_OUT_OF_MEMORY;
				t->never_started = 1;
				list_push(&done, t);
				continue;
			}
			s->active[s->running++] = t;
		}
		curl_multi_perform(s->multi, &still);
		sender_collect(s, &done);

		pthread_mutex_lock(&s->lock);
		signal_loop = done.n > 0 && s->ended.n == 0;
		list_join(&s->ended, &done);
		/* Sleep unless a place came free for a submitted transfer:
		 * that one starts now rather than after a wait. */
		sleep = !s->stop && !sender_startable(s);
		s->sleeping = sleep;
		pthread_mutex_unlock(&s->lock);
		if (signal_loop)
			sender_signal(s);
		if (sleep)
			curl_multi_poll(s->multi, NULL, 0, SENDER_MAX_WAIT_MS,
			    &numfds);
		pthread_mutex_lock(&s->lock);
		s->sleeping = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

struct sender *
sender_start(int inflight, long host_connections, char **errp)
{
	struct sender *s;
	sigset_t all, old;
	int rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		err_set(errp, "out of memory");
		return NULL;
	}
	s->inflight_max = inflight;
	s->share = inflight;
	s->efd = -1;
	if ((s->active = calloc((size_t)inflight, sizeof(*s->active))) ==
	    NULL || (s->multi = curl_multi_init()) == NULL) {
		free(s->active);
		free(s);
		err_set(errp, "out of memory");
		return NULL;
	}
	curl_multi_setopt(s->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    host_connections);
	if ((s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
		err_set(errp, "eventfd: %s", strerror(errno));
		goto fail;
	}
	pthread_mutex_init(&s->lock, NULL);
	/* Signals are the loop's (signalfd): the thread blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->thread, NULL, sender_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* What top -H and perf show for it. */
	if (rc == 0)
		pthread_setname_np(s->thread, "nudged-send");
	if (rc != 0) {
		err_set(errp, "starting the sender thread: %s", strerror(rc));
		pthread_mutex_destroy(&s->lock);
		goto fail;
	}
	return s;
fail:
	if (s->efd >= 0)
		close(s->efd);
	curl_multi_cleanup(s->multi);
	free(s->active);
	free(s);
	return NULL;
}

void
sender_stop(struct sender *s, struct transfer ***left, size_t *nleft)
{
	struct sender_list all;
	int i;

	*left = NULL;
	*nleft = 0;
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_mutex_unlock(&s->lock);
	curl_multi_wakeup(s->multi);
	pthread_join(s->thread, NULL);

	/* The thread is gone: what is on the multi handle is ours now. */
	memset(&all, 0, sizeof(all));
	list_join(&all, &s->ended);
	for (i = 0; i < s->running; i++) {
		curl_multi_remove_handle(s->multi, s->active[i]->easy);
		list_push(&all, s->active[i]);
	}
	s->running = 0;
	list_join(&all, &s->submitted);
	list_to_array(&all, left, nleft);
	curl_multi_cleanup(s->multi);
	close(s->efd);
	pthread_mutex_destroy(&s->lock);
	free(s->active);
	free(s);
}

int
sender_fd(const struct sender *s)
{
	return s->efd;
}

void
sender_submit(struct sender *s, struct transfer **v, size_t n)
{
	struct sender_list add;
	size_t i;
	int wake;

	if (n == 0)
		return;
	memset(&add, 0, sizeof(add));
	for (i = 0; i < n; i++)
		list_push(&add, v[i]);
	pthread_mutex_lock(&s->lock);
	list_join(&s->submitted, &add);
	wake = s->sleeping;
	s->sleeping = 0;
	pthread_mutex_unlock(&s->lock);
	if (wake)
		curl_multi_wakeup(s->multi);
}

size_t
sender_take_ended(struct sender *s, struct transfer **out, size_t max)
{
	uint64_t count;
	size_t n = 0;

	/* Cleared before taking: a transfer that ends after the take
	 * finds the list empty and signals again. */
	while (read(s->efd, &count, sizeof(count)) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&s->lock);
	while (n < max && s->ended.head != NULL)
		out[n++] = list_pop(&s->ended);
	/* More than max ended: the fd must stay readable for the rest. */
	if (s->ended.head != NULL)
		sender_signal(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

void
sender_hold(struct sender *s, struct transfer ***left, size_t *nleft)
{
	struct sender_list unstarted;

	pthread_mutex_lock(&s->lock);
	s->hold = 1;
	unstarted = s->submitted;
	memset(&s->submitted, 0, sizeof(s->submitted));
	list_to_array(&unstarted, left, nleft);
	/* Out of memory: they stay, unstarted, for sender_stop(). */
	list_join(&s->submitted, &unstarted);
	pthread_mutex_unlock(&s->lock);
}

void
sender_set_share(struct sender *s, int share)
{
	pthread_mutex_lock(&s->lock);
	s->share = share > 0 ? share : 1;
	pthread_mutex_unlock(&s->lock);
}
