#include "share.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int
share_of(const struct config *cfg, int total)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nchannels; i++)
		if (cfg->channels[i].type != CONFIG_CHANNEL_LOG)
			n++;
	if (n <= 1)
		return total;
	return (size_t)total / n > 0 ? (int)((size_t)total / n) : 1;
}

static struct share_lane *
share_find(const struct share *s, const char *channel)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].channel, channel) == 0)
			return &s->v[i];
	return NULL;
}

int
share_room(struct share *s, const char *channel)
{
	struct share_lane *l = share_find(s, channel), *grown;
	size_t cap;

	if (l == NULL) {
		if (s->n == s->cap) {
			cap = s->cap != 0 ? 2 * s->cap : 8;
			if ((grown = reallocarray(s->v, cap, sizeof(*grown))) ==
			    NULL)
				return 0;
			s->v = grown;
			s->cap = cap;
		}
		l = &s->v[s->n];
		if ((l->channel = strdup(channel)) == NULL)
			return 0;
		l->out = 0;
		s->n++;
	}
	return l->out < s->max ? s->max - l->out : 0;
}

void
share_add(struct share *s, const char *channel, int delta)
{
	struct share_lane *l = share_find(s, channel);

	if (l != NULL)
		l->out += delta;
}

void
share_reap(struct share *s)
{
	size_t i = 0;

	while (i < s->n) {
		if (s->v[i].out > 0) {
			i++;
			continue;
		}
		free(s->v[i].channel);
		s->v[i] = s->v[--s->n];
	}
}

char *
share_full_json(const struct share *s)
{
	json_t *a = NULL;
	char *text = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].out < s->max)
			continue;
		if ((a == NULL && (a = json_array()) == NULL) ||
		    json_array_append_new(a, json_string(s->v[i].channel)) !=
		    0)
			break;
	}
	if (a != NULL && i == s->n)
		text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

void
share_clear(struct share *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].channel);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
