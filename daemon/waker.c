/* The listener's wake-up calls to the loop, gathered: see waker.h. */
#include "waker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "err.h"
#include "wake.h"

struct waker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wanted, stopping;
	char path[256];
};

static void *
waker_run(void *arg)
{
	struct waker *w = arg;
	struct timespec delay = { 0, WAKER_DELAY_MS * 1000000L };

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->wanted && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->wanted)
			break;
		pthread_mutex_unlock(&w->mu);
		/* Pokes meanwhile ride on this one call. */
		nanosleep(&delay, NULL);
		pthread_mutex_lock(&w->mu);
		w->wanted = 0;
		pthread_mutex_unlock(&w->mu);
		wake_send(w->path);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct waker *
waker_start(const char *path, char **errp)
{
	struct waker *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return err_set(errp, "out of memory"), NULL;
	snprintf(w->path, sizeof(w->path), "%s", path);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, waker_run, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		return err_set(errp, "cannot start the waker thread"), NULL;
	}
	return w;
}

void
waker_poke(struct waker *w)
{
	pthread_mutex_lock(&w->mu);
	if (!w->wanted) {
		w->wanted = 1;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
}

void
waker_stop(struct waker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
