/*
 * Time: parsing what people type, time zones, working hours, business days.
 * One header for the four parts, each declared in its own:
 *
 *   time_zone.h      zone names, local civil time in a zone; every function
 *                    that takes a zone changes the process's TZ (read its
 *                    comment before calling any of them from a thread)
 *   time_calendar.h  durations applied in a zone, working hours, business
 *                    days; struct timeutil_duration and timeutil_hours
 *   time_parse.h     what people type: durations, moments ("+2d",
 *                    "tomorrow 10:00"), times of day, hours, days, dates
 *   time_format.h    the same back to text, ISO 8601, "in 3 hours"
 *
 * Moments are UTC epoch seconds (time_t).
 */
#ifndef NUDGE_TIMEUTIL_H
#define NUDGE_TIMEUTIL_H

#include "time_calendar.h"
#include "time_format.h"
#include "time_parse.h"
#include "time_zone.h"

#endif
