/* matrix_kernels.h - `tcprig matrix --kernel IMAGE|host ...`: the same
 * matrix run once per kernel (an image booted under qemu as `tcprig vm`
 * does it, or this host's kernel), joined into one table: a column per
 * kernel (its uname -r), a row per case and combination, rows whose cells
 * differ marked, on the terminal and in --html (report/kernels_html.h).
 * Each kernel's run writes --cells; this reads them back.
 * Exit: 0 every kernel's matrix ran, 2 bad input (nothing ran, or a
 * kernel's matrix refused its arguments), 3 a kernel could not run it.
 */
#ifndef TCPRIG_CMD_MATRIX_KERNELS_H
#define TCPRIG_CMD_MATRIX_KERNELS_H

#include <stdbool.h>

#define MATRIX_KERNELS_MAX 8

bool matrix_kernels_given(int argc, char *argv[]);
int matrix_kernels_main(int argc, char *argv[]);

#endif
