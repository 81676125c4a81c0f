/* fuzz_case_parser.c - libFuzzer harness for the case parser.
 *
 * Feeds the input line by line through the line API, the way
 * case_parse_file does, then finishes and frees.
 *
 * Built by -Dfuzz=true (see README.md, "Reliability"):
 *	CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz
 *	mkdir -p /tmp/corpus && build-fuzz/tests/fuzz_case_parser /tmp/corpus \
 *		cases tests/cases_good tests/cases_bad
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "case/case.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size;
	struct case_parser p;
	struct case_script script;
	struct tr_err err;

	if (case_parser_init(&p, "fuzz.pkt"))
		return 0;
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t len = nl ? (size_t)(nl - text + 1) : (size_t)(end - text);

		if (case_parser_line(&p, text, len, &err)) {
			case_parser_free(&p);
			return 0;
		}
		text += len;
	}
	if (case_parser_finish(&p, &script, &err) == 0) {
		/* Touch what a runner reads, so a bad pointer shows here. */
		for (size_t i = 0; i < script.nevents; i++)
			if (script.events[i].text[0] == '\x7f')
				break;
		case_script_free(&script);
	}
	return 0;
}
