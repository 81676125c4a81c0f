/* The script's fd numbers as names (run/fdmap.h). */
#include "run/fdmap.h"

#include "tap.h"

int main(void)
{
	struct fd_map m = {0};

	ok(fd_map_live(&m, 4) == 4, "a number never named is passed as written");
	fd_map_name(&m, 4, 3);
	ok(fd_map_live(&m, 4) == 3, "socket() = 4 returning 3: 4 stands for 3");
	fd_map_name(&m, 7, 5);
	ok(fd_map_live(&m, 7) == 5 && fd_map_live(&m, 4) == 3, "two names, each its own fd");
	fd_map_forget(&m, 4);
	ok(fd_map_live(&m, 4) == 4 && fd_map_live(&m, 7) == 5,
	   "close(4) forgets 4, and only 4");
	fd_map_name(&m, 7, 6);
	ok(fd_map_live(&m, 7) == 6 && m.n == 1, "a name given again moves to the new fd");
	for (int i = 0; i < FD_MAP_MAX + 1; i++)
		fd_map_name(&m, 100 + i, 200 + i);
	ok(m.n == FD_MAP_MAX, "the map holds at most FD_MAP_MAX names");
	ok(fd_map_live(&m, 100 + FD_MAP_MAX) == 100 + FD_MAP_MAX,
	   "past that a number is taken literally");
	return tap_done();
}
