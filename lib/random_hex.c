#include "random_hex.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "err.h"

void
hex_encode(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0xf];
	}
	out[2 * n] = '\0';
}

int
random_hex(char *out, size_t n, char **errp)
{
	unsigned char b[64];
	size_t got = 0;
	ssize_t r;

	if (n > sizeof(b))
		return err_set(errp, "random_hex: %zu bytes asked, at most %zu",
		    n, sizeof(b));
	/* Up to 256 bytes getrandom() never returns short once the pool is
	 * ready, but a signal may interrupt the wait for it. */
	while (got < n) {
		r = getrandom(b + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set(errp, "getrandom: %s", strerror(errno));
		got += (size_t)r;
	}
	hex_encode(b, n, out);
	return 0;
}
