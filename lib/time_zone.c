#include "time_zone.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "time_internal.h"

#define TU_ZONEDIR "/usr/share/zoneinfo"
/* Moments further than ~31,000 years from 1970 are left alone, so that no
 * day arithmetic can overflow. */
#define TU_T_MAX ((int64_t)1000000000000)

/* The zone TZ was last set to by this module ("" = none yet). */
static char tu_zone_cur[TU_ZONE_MAX + 1];

static int64_t
tu_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Zone names are IANA-style paths: letters, digits, "/_+-", no "..". */
static int
tu_zone_name_ok(const char *zone)
{
	size_t len = strlen(zone), i;

	if (len == 0 || len > TU_ZONE_MAX || zone[0] == '/' ||
	    strstr(zone, "..") != NULL)
		return 0;
	for (i = 0; i < len; i++)
		if (!tu_isalpha(zone[i]) && !tu_isdigit(zone[i]) &&
		    strchr("/_+-", zone[i]) == NULL)
			return 0;
	return 1;
}

/*
 * tzset() silently falls back to UTC for a name it cannot load, so a zone
 * is only valid when its file exists, is regular and starts with the TZif
 * magic.
 */
int
timeutil_zone_valid(const char *zone)
{
	char path[sizeof(TU_ZONEDIR) + TU_ZONE_MAX + 2];
	char magic[4];
	struct stat st;
	int fd, ok;

	if (zone == NULL)
		return 0;
	if (strcmp(zone, "UTC") == 0)
		return 1;
	if (!tu_zone_name_ok(zone))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", TU_ZONEDIR, zone);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return 0;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
	    memcmp(magic, "TZif", sizeof(magic)) == 0;
	close(fd);
	return ok;
}

/*
 * Point TZ at zone (NULL = UTC).  The name set last is cached, and TZ is
 * compared too in case someone else changed it, so a run of calls for one
 * zone costs neither validation nor tzset().  -1 on an unknown zone.
 */
int
tu_set_zone(const char *zone)
{
	const char *val, *cur;

	if (zone == NULL || strcmp(zone, "UTC") == 0) {
		zone = "UTC";
		val = "UTC0"; /* POSIX form: works without tzdata too */
	} else
		val = zone;
	cur = getenv("TZ");
	if (strcmp(tu_zone_cur, zone) == 0 && cur != NULL &&
	    strcmp(cur, val) == 0)
		return 0;
	if (val == zone && !timeutil_zone_valid(zone))
		return -1;
	if (setenv("TZ", val, 1) != 0)
		return -1;
	tzset();
	snprintf(tu_zone_cur, sizeof(tu_zone_cur), "%s", zone);
	return 0;
}

/* For the functions that cannot fail: an unknown zone means UTC. */
void
tu_zone_or_utc(const char *zone)
{
	if (tu_set_zone(zone) != 0)
		(void)tu_set_zone(NULL);
}

/* localtime_r() that leaves a sane struct behind when t is out of range. */
int
tu_localtime(time_t t, struct tm *tm)
{
	if ((int64_t)t >= -TU_T_MAX && (int64_t)t <= TU_T_MAX &&
	    localtime_r(&t, tm) != NULL)
		return 0;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = 70;
	tm->tm_mday = 1;
	return -1;
}

/* Civil day number of t's local date (zone already set); fills *tm. */
int32_t
tu_day_of(time_t t, struct tm *tm)
{
	if (tu_localtime(t, tm) != 0)
		return 0;
	return (int32_t)tu_floordiv((int64_t)t + tm->tm_gmtoff, TU_DAY);
}

static long
tu_gmtoff_at(time_t t)
{
	struct tm tm;

	if (tu_localtime(t, &tm) != 0)
		return 0;
	return tm.tm_gmtoff;
}

/*
 * Local civil fields (zone already set) -> epoch.  mktime() does the
 * normalisation and gives an anchor, but what it does with times in a gap
 * or an overlap varies, so the answer is settled here: every UTC offset in
 * force within a day of the anchor is tried, the earliest instant whose
 * local time is the wanted one wins (overlap -> earlier), and when none
 * matches (gap) the transition itself, the first valid instant after the
 * wanted time, is found by bisection.
 */
int
tu_mklocal(const struct tm *want, time_t *out)
{
	struct tm tm = *want, u = *want;
	time_t t0, l, cand, best = 0, lo, hi, mid;
	long offs[3], olo, ohi;
	int found = 0, i;

	u.tm_isdst = 0;
	errno = 0;
	l = timegm(&u); /* the wanted local time, counted as if UTC */
	if (l == (time_t)-1 && errno != 0)
		return -1;
	tm.tm_isdst = -1;
	errno = 0;
	t0 = mktime(&tm);
	if (t0 == (time_t)-1 && errno != 0)
		return -1;
	offs[0] = tu_gmtoff_at(t0 - TU_DAY);
	offs[1] = tu_gmtoff_at(t0);
	offs[2] = tu_gmtoff_at(t0 + TU_DAY);
	olo = ohi = offs[0];
	for (i = 0; i < 3; i++) {
		if (offs[i] < olo)
			olo = offs[i];
		if (offs[i] > ohi)
			ohi = offs[i];
		cand = l - offs[i];
		if (tu_gmtoff_at(cand) == offs[i] && (!found || cand < best)) {
			best = cand;
			found = 1;
		}
	}
	if (found) {
		*out = best;
		return 0;
	}
	if (olo == ohi) {
		*out = t0; /* no transition near: trust mktime() */
		return 0;
	}
	/* In the gap: local(lo) < l <= local(hi). */
	lo = l - ohi;
	hi = l - olo;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (mid + tu_gmtoff_at(mid) >= l)
			hi = mid;
		else
			lo = mid;
	}
	*out = hi;
	return 0;
}

/* Epoch of local day `day` at `sec` seconds after midnight (zone set). */
int
tu_day_at(int32_t day, int sec, time_t *out)
{
	struct tm tm;
	time_t d = (time_t)day * TU_DAY;

	if (gmtime_r(&d, &tm) == NULL)
		return -1;
	tm.tm_hour = sec / 3600;
	tm.tm_min = sec / 60 % 60;
	tm.tm_sec = sec % 60;
	return tu_mklocal(&tm, out);
}

int
timeutil_make_local(const char *zone, int y, int mon, int d, int h, int mi,
    int s, time_t *out)
{
	struct tm tm;

	if (y < 0 || y > 30000 || mon < -1000000 || mon > 1000000 ||
	    tu_set_zone(zone) != 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return tu_mklocal(&tm, out);
}

int32_t
timeutil_local_day(const char *zone, time_t t)
{
	struct tm tm;

	tu_zone_or_utc(zone);
	return tu_day_of(t, &tm);
}

int
timeutil_local_minute(const char *zone, time_t t)
{
	struct tm tm;

	tu_zone_or_utc(zone);
	tu_localtime(t, &tm);
	return tm.tm_hour * 60 + tm.tm_min;
}

int
timeutil_local_weekday(const char *zone, time_t t)
{
	struct tm tm;

	tu_zone_or_utc(zone);
	tu_localtime(t, &tm);
	return (tm.tm_wday + 6) % 7;
}

long
timeutil_zone_offset(const char *zone, time_t t, char *abbr, size_t len)
{
	struct tm tm;

	tu_zone_or_utc(zone);
	tu_localtime(t, &tm);
	/* tm_zone points into the zone's data, valid until the next tzset:
	 * copied now. */
	snprintf(abbr, len, "%s", tm.tm_zone != NULL ? tm.tm_zone : "");
	return tm.tm_gmtoff;
}
