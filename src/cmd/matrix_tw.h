/* matrix_tw.h - `tcprig matrix --events timewait`: the TIME_WAIT event
 * matrix. Every cell (report/twcell.h) is generated as a case
 * (run/twgen.h), parsed by the normal parser and run in its own lab by the
 * worker pool; each cell's observation is classified, judged against the
 * RFC table (report/twrfc.h) and shown as a table, JSON and an HTML page
 * (report/twtable.h). Exit: 0 every cell observed, 2 bad input (nothing
 * ran), 3 a cell could not be observed (error, FAIL, inconclusive).
 */
#ifndef TCPRIG_CMD_MATRIX_TW_H
#define TCPRIG_CMD_MATRIX_TW_H

#include <stdbool.h>

bool matrix_tw_given(int argc, char *argv[]);
int matrix_tw_main(int argc, char *argv[]);

#endif
