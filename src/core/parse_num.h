/* parse_num.h - strict number parsing for command-line values: the whole
 * string must be a number in range, else a TR_USAGE error naming the option
 * and the offending text. */
#ifndef TCPRIG_PARSE_NUM_H
#define TCPRIG_PARSE_NUM_H

#include <stdint.h>

#include "core/err.h"

/* Decimal, or hex with 0x; [min, max] inclusive. */
int parse_u64(const char *what, const char *text, uint64_t min, uint64_t max,
	      uint64_t *out, struct tr_err *err);
int parse_u32(const char *what, const char *text, uint32_t max, uint32_t *out,
	      struct tr_err *err);
int parse_u16(const char *what, const char *text, uint16_t *out,
	      struct tr_err *err);
int parse_u8(const char *what, const char *text, uint8_t *out,
	     struct tr_err *err);
/* Seconds with up to microsecond precision ("0.5", "2", ".25") into
 * microseconds; [0, max_us]. */
int parse_seconds(const char *what, const char *text, uint64_t max_us,
		  uint64_t *out_us, struct tr_err *err);

#endif
