#include "names_join.h"

#include <stdio.h>
#include <stdlib.h>

char *
names_join(const char *const *names, const char *last_sep)
{
	char *out = NULL;
	size_t size = 0, i;
	FILE *f = NULL;

	if ((f = open_memstream(&out, &size)) == NULL)
		return NULL;
	for (i = 0; names[i] != NULL; i++)
		fprintf(f, "%s%s", i == 0 ? "" : names[i + 1] != NULL ? ", " :
		    last_sep, names[i]);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
