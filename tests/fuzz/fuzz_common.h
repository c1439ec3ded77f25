/*
 * What the fuzz targets share: the input as a C string, a private scratch
 * directory for the parsers that read files, and a way to report a broken
 * invariant that libFuzzer records as a crash (with the input saved).
 */
#ifndef NUDGE_FUZZ_COMMON_H
#define NUDGE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point, declared for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd NUL-terminated copy of the input (caller frees); an embedded
 * NUL ends the string early, as it would for a C caller. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* A directory made on first use under $TMPDIR (or /tmp) and removed with
 * everything in it at exit. */
const char *fuzz_dir(void);

/* "<fuzz_dir()>/<name>", malloc'd; caller frees. */
char *fuzz_path(const char *name);

/* Replace the file at path with data. */
void fuzz_write(const char *path, const void *data, size_t size);

/* Print why and abort: the fuzzer's own failures and broken invariants. */
void fuzz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * The library's error contract: 0 with no message, -1 with one.  Frees
 * the message; `what` names the call for the report.
 */
void fuzz_check_err(const char *what, int rc, char *err);

#endif
