/* fdmap.h - a script's fd numbers are names, as in packetdrill.
 *
 * `socket(...) = 4` names whatever fd the target's kernel returned "4";
 * later lines that pass 4 pass that fd. A line whose call returns an fd
 * (socket, accept) holds when the call succeeded and the line expected
 * success: the number it wrote becomes the name. A closed fd's name is
 * forgotten. A number never named is passed as written (0, 1, 2, or an fd
 * the script means literally).
 */
#ifndef TCPRIG_RUN_FDMAP_H
#define TCPRIG_RUN_FDMAP_H

#include <stddef.h>
#include <stdint.h>

#define FD_MAP_MAX 64

struct fd_map {
	int64_t name[FD_MAP_MAX]; /* the script's number */
	int64_t live[FD_MAP_MAX]; /* the fd it stands for in the agent */
	size_t n;
};

/* The live fd script number fd stands for. */
int64_t fd_map_live(const struct fd_map *m, int64_t fd);
/* Names live fd `live` fd (a name given again moves to the new fd). False
 * when the map is full: the name is then taken literally. */
int fd_map_name(struct fd_map *m, int64_t fd, int64_t live);
void fd_map_forget(struct fd_map *m, int64_t fd);

#endif
