#include "core/parse_num.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

int parse_u64(const char *what, const char *text, uint64_t min, uint64_t max,
	      uint64_t *out, struct tr_err *err)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts "-1" and leading blanks; a CLI value must not. */
	if (!text || !isdigit((unsigned char)text[0]))
		goto bad;
	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return err_usage(err, "%s: '%s' is not a number in %" PRIu64 "..%" PRIu64,
			 what, text ? text : "", min, max);
}

int parse_u32(const char *what, const char *text, uint32_t max, uint32_t *out,
	      struct tr_err *err)
{
	uint64_t v;

	if (parse_u64(what, text, 0, max, &v, err))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_u16(const char *what, const char *text, uint16_t *out,
	      struct tr_err *err)
{
	uint64_t v;

	if (parse_u64(what, text, 0, UINT16_MAX, &v, err))
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int parse_u8(const char *what, const char *text, uint8_t *out,
	     struct tr_err *err)
{
	uint64_t v;

	if (parse_u64(what, text, 0, UINT8_MAX, &v, err))
		return -1;
	*out = (uint8_t)v;
	return 0;
}

int parse_seconds(const char *what, const char *text, uint64_t max_us,
		  uint64_t *out_us, struct tr_err *err)
{
	const char *p = text;
	uint64_t whole = 0, frac = 0;
	int digits = 0, frac_digits = 0;

	if (!p)
		goto bad;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > max_us / 1000000 + 1)
			goto bad;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (++frac_digits > 6)
				goto bad;
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
	}
	if (*p || digits == 0)
		goto bad;
	for (; frac_digits < 6; frac_digits++)
		frac *= 10;
	if (whole * 1000000 + frac > max_us)
		goto bad;
	*out_us = whole * 1000000 + frac;
	return 0;
bad:
	return err_usage(err, "%s: '%s' is not a time in seconds from 0 to %" PRIu64 ".%06" PRIu64,
			 what, text ? text : "", max_us / 1000000, max_us % 1000000);
}
