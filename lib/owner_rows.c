#include "owner_rows.h"

#include <stdlib.h>
#include <string.h>

/* The owner field of element i. */
static char **
owner_of(char *rows, size_t i, size_t size, size_t off)
{
	return (char **)(void *)(rows + i * size + off);
}

void *
owner_rows_get(void *rowsp, size_t *n, size_t size, size_t off,
    const char *owner)
{
	char *rows, *v;
	size_t i;

	memcpy(&rows, rowsp, sizeof(rows));
	for (i = 0; i < *n; i++)
		if (strcmp(*owner_of(rows, i, size, off), owner) == 0)
			return rows + i * size;
	if ((rows = realloc(rows, (*n + 1) * size)) == NULL)
		return NULL;
	memcpy(rowsp, &rows, sizeof(rows));
	v = rows + *n * size;
	memset(v, 0, size);
	if ((*owner_of(rows, *n, size, off) = strdup(owner)) == NULL)
		return NULL;
	(*n)++;
	return v;
}

void
owner_rows_free(void *rows, size_t n, size_t size, size_t off)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(*owner_of(rows, i, size, off));
	free(rows);
}
