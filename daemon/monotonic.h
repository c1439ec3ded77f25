/* Seconds on the monotonic clock, for rates and durations a change of
 * the wall clock must not move (the API's rate per token; the bench's
 * floors, which measure as nudged does). */
#ifndef NUDGED_MONOTONIC_H
#define NUDGED_MONOTONIC_H

#include <time.h>

static inline double
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
