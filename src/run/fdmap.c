/* fdmap.c - a script's fd numbers are names. */
#include "run/fdmap.h"

static size_t fd_map_find(const struct fd_map *m, int64_t fd)
{
	size_t i;

	for (i = 0; i < m->n && m->name[i] != fd; i++)
		;
	return i;
}

int64_t fd_map_live(const struct fd_map *m, int64_t fd)
{
	size_t i = fd_map_find(m, fd);

	return i < m->n ? m->live[i] : fd;
}

int fd_map_name(struct fd_map *m, int64_t fd, int64_t live)
{
	size_t i = fd_map_find(m, fd);

	if (i == m->n) {
		if (m->n == FD_MAP_MAX)
			return 0;
		m->n++;
	}
	m->name[i] = fd;
	m->live[i] = live;
	return 1;
}

void fd_map_forget(struct fd_map *m, int64_t fd)
{
	size_t i = fd_map_find(m, fd);

	if (i == m->n)
		return;
	m->n--;
	m->name[i] = m->name[m->n];
	m->live[i] = m->live[m->n];
}
