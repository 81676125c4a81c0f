/* utf8.h - one UTF-8 decoder for every writer of text other programs parse
 * (JSON, JUnit XML, the HTML report's SVG): what is not well-formed UTF-8
 * becomes U+FFFD there, never bytes a parser rejects. */
#ifndef TCPRIG_UTF8_H
#define TCPRIG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length of the well-formed UTF-8 sequence at s (at most n bytes, n > 0)
 * and its code point in *cp, or 0: no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
