/* bytes.h - numbers in network byte order read from and written to byte
 * buffers, one byte at a time: no alignment assumed, no host-order
 * surprises, the same in the segment codec, the ICMP builders and the
 * capture reader.
 */
#ifndef TCPRIG_CORE_BYTES_H
#define TCPRIG_CORE_BYTES_H

#include <stdint.h>

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
