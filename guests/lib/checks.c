/* SPDX-License-Identifier: MIT */
/* The tally of a self-checking guest; see checks.h. */
#include "checks.h"

#include <stddef.h>

#include "console.h"
#include "exceptions.h"
#include "format.h"

static unsigned checks_run, checks_passed;

void check_report(const char *name, bool ok, const char *got,
		  const char *expected)
{
	checks_run++;
	if (ok) {
		checks_passed++;
		gprintf("%s: ok\n", name);
	} else {
		gprintf("%s: FAILED got %s expected %s\n", name, got,
			expected);
	}
}

void check_hex(const char *name, uint64_t got, uint64_t expected)
{
	char got_text[32], expected_text[32];

	format(got_text, sizeof(got_text), "0x%lx", got);
	format(expected_text, sizeof(expected_text), "0x%lx", expected);
	check_report(name, got == expected, got_text, expected_text);
}

static void describe_catch(char *text, size_t size, int vector)
{
	if (vector < 0)
		format(text, size, "no exception");
	else
		format(text, size, "exception %d (%s)", vector,
		       exception_name(vector));
}

void check_exception(const char *name, void (*fn)(void *), void *arg,
		     int expected)
{
	char got_text[64], expected_text[64];
	int got = guest_catch(fn, arg);

	describe_catch(got_text, sizeof(got_text), got);
	describe_catch(expected_text, sizeof(expected_text), expected);
	check_report(name, got == expected, got_text, expected_text);
}

int checks_finish(void)
{
	gprintf("%u of %u checks passed\n", checks_passed, checks_run);
	return checks_passed == checks_run ? 0 : 1;
}
