/*
 * timeit: whole-process wall time of several commands, measured side by
 * side.  Every round runs each command once, starting with a different
 * one each round, so that a noisy neighbour slows all of them alike
 * rather than one of them.
 *
 *   timeit RUNS WARMUP SPECFILE
 *
 * SPECFILE has one command a line, tab-separated:
 *   NAME <TAB> EXPECT <TAB> PROGRAM <TAB> ARG ...
 * EXPECT is the exit status wanted (a number) or '*' for any (taskwarrior
 * exits 1 for an empty report).  PROGRAM is a path: no shell, no PATH
 * search.  Children inherit the environment; their stdin is /dev/null and
 * their output goes to /dev/null.
 *
 * Prints one line per measured run on stdout:
 *   NAME <TAB> ROUND <TAB> WALL_NS <TAB> EXIT <TAB> MAXRSS_KB
 * Warm-up rounds are run but not printed.  Exits 1 when a run's status was
 * not the one expected (after finishing the rounds), 2 on bad usage.
 */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEIT_MAX_CMDS 32
#define TIMEIT_MAX_ARGS 64

extern char **environ;

struct cmd {
	char *name;
	int expect;             /* -1: any */
	char *argv[TIMEIT_MAX_ARGS + 1];
};

static int
parse_spec(const char *path, struct cmd *cmds, int *ncmd)
{
	char *line = NULL, *tok, *save;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int n = 0, a;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "timeit: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (n == TIMEIT_MAX_CMDS) {
			fprintf(stderr, "timeit: more than %d commands\n",
			    TIMEIT_MAX_CMDS);
			goto fail;
		}
		memset(&cmds[n], 0, sizeof(cmds[n]));
		if ((tok = strtok_r(line, "\t", &save)) == NULL ||
		    (cmds[n].name = strdup(tok)) == NULL ||
		    (tok = strtok_r(NULL, "\t", &save)) == NULL)
			goto bad;
		cmds[n].expect = strcmp(tok, "*") == 0 ? -1 : atoi(tok);
		for (a = 0; (tok = strtok_r(NULL, "\t", &save)) != NULL; a++) {
			if (a == TIMEIT_MAX_ARGS ||
			    (cmds[n].argv[a] = strdup(tok)) == NULL)
				goto bad;
		}
		if (a == 0)
			goto bad;
		n++;
	}
	free(line);
	fclose(f);
	*ncmd = n;
	return n > 0 ? 0 : -1;
bad:
	fprintf(stderr, "timeit: %s: bad line %d (NAME, EXPECT, PROGRAM, "
	    "ARGS... separated by tabs)\n", path, n + 1);
fail:
	free(line);
	fclose(f);
	return -1;
}

static long long
ns_between(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL +
	    (b->tv_nsec - a->tv_nsec);
}

/* Run one command; wall time from just before the spawn to just after the
 * child has been reaped. */
static int
run_one(const struct cmd *c, long long *ns, int *status, long *maxrss_kb)
{
	posix_spawn_file_actions_t fa;
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = posix_spawn(&pid, c->argv[0], &fa, NULL, c->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "timeit: %s: %s\n", c->argv[0], strerror(rc));
		return -1;
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "timeit: wait4: %s\n", strerror(errno));
			return -1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*ns = ns_between(&t0, &t1);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	*maxrss_kb = ru.ru_maxrss;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cmd cmds[TIMEIT_MAX_CMDS];
	long long ns;
	long runs, warmup, r, maxrss;
	char *end;
	int ncmd = 0, i, k, status, bad = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: timeit RUNS WARMUP SPECFILE\n");
		return 2;
	}
	runs = strtol(argv[1], &end, 10);
	if (*end != '\0' || runs < 1 || runs > 100000)
		return fprintf(stderr, "timeit: bad RUNS\n"), 2;
	warmup = strtol(argv[2], &end, 10);
	if (*end != '\0' || warmup < 0 || warmup > 100000)
		return fprintf(stderr, "timeit: bad WARMUP\n"), 2;
	if (parse_spec(argv[3], cmds, &ncmd) != 0)
		return 2;
	for (r = -warmup; r < runs; r++) {
		for (k = 0; k < ncmd; k++) {
			/* Rotate the order: round r starts at command r. */
			i = (int)(((r + warmup) + k) % ncmd);
			if (run_one(&cmds[i], &ns, &status, &maxrss) != 0)
				return 1;
			if (cmds[i].expect >= 0 && status != cmds[i].expect) {
				fprintf(stderr, "timeit: %s exited %d, wanted "
				    "%d\n", cmds[i].name, status,
				    cmds[i].expect);
				bad = 1;
			}
			if (r >= 0)
				printf("%s\t%ld\t%lld\t%d\t%ld\n", cmds[i].name,
				    r, ns, status, maxrss);
		}
		fflush(stdout);
	}
	return bad;
}
