/*
 * offsetof() of member m of type S, checked to have type T: a table row
 * that names where a value goes (the CLI's option rows, the API's body
 * fields) fails to build when the member's type is not the one the row
 * writes.
 */
#ifndef NUDGE_TYPED_OFFSET_H
#define NUDGE_TYPED_OFFSET_H

#include <stddef.h>

#define TYPED_OFFSET(S, m, T) _Generic(((S *)0)->m, T: offsetof(S, m))

#endif
