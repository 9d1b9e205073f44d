/* SPDX-License-Identifier: MIT */
/*
 * The unit-test harness: CHECK records a failure with file and line and
 * carries on; check_summary() prints "N passed, N failed" for the binary and
 * gives its exit status. Tests run on the host under ASan and UBSan.
 */
#ifndef BULKHEAD_TEST_CHECK_H
#define BULKHEAD_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

extern int check_passed;
extern int check_failed;

#define CHECK(condition)                                                       \
	do {                                                                   \
		if (condition) {                                               \
			check_passed++;                                        \
		} else {                                                       \
			check_failed++;                                        \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #condition);                         \
		}                                                              \
	} while (0)

#define CHECK_EQ(actual, expected)                                             \
	do {                                                                   \
		unsigned long long check_a_ = (unsigned long long)(actual);    \
		unsigned long long check_e_ = (unsigned long long)(expected);  \
		if (check_a_ == check_e_) {                                    \
			check_passed++;                                        \
		} else {                                                       \
			check_failed++;                                        \
			fprintf(stderr, "%s:%d: %s == 0x%llx, expected 0x%llx\n", \
				__FILE__, __LINE__, #actual, check_a_,         \
				check_e_);                                     \
		}                                                              \
	} while (0)

#define CHECK_STR_CONTAINS(haystack, needle)                                   \
	do {                                                                   \
		if (strstr((haystack), (needle))) {                            \
			check_passed++;                                        \
		} else {                                                       \
			check_failed++;                                        \
			fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", \
				__FILE__, __LINE__, (haystack), (needle));     \
		}                                                              \
	} while (0)

/* Defines the counters and main(); the test file provides run_tests(). */
#define CHECK_MAIN(name)                                                       \
	int check_passed, check_failed;                                        \
	static void run_tests(void);                                           \
	int main(void)                                                         \
	{                                                                      \
		run_tests();                                                   \
		printf("%s: %d passed, %d failed\n", name, check_passed,       \
		       check_failed);                                          \
		return check_failed ? 1 : 0;                                   \
	}

#endif
