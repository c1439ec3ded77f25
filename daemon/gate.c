/* The gate of the library's thread: see gate.h. */
#include "gate.h"

#include <pthread.h>

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_held;
static int gate_loop_waits;

void
gate_enter_loop(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_loop_waits = 1;
	while (gate_held)
		pthread_cond_wait(&gate_cv, &gate_mu);
	gate_loop_waits = 0;
	gate_held = 1;
	pthread_mutex_unlock(&gate_mu);
}

void
gate_enter_http(void)
{
	pthread_mutex_lock(&gate_mu);
	while (gate_held || gate_loop_waits)
		pthread_cond_wait(&gate_cv, &gate_mu);
	gate_held = 1;
	pthread_mutex_unlock(&gate_mu);
}

void
gate_leave(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_held = 0;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}
