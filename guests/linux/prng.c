/* SPDX-License-Identifier: MIT */
/*
 * prng SEED BYTES [MARK]: writes BYTES bytes of a deterministic
 * pseudo-random stream to standard output, the same for the same SEED on
 * every machine: the data of the network and disk tests, so the sender,
 * the receiver and the host all know its sha256 without exchanging it.
 * With MARK, prints "mark" on standard error once at least MARK bytes are
 * written (the nic-reboot test reboots mid-transfer when it appears).
 *
 * The stream: xorshift64* (Vigna) started from splitmix64(SEED), each
 * 64-bit output stored little-endian. Static and libc-only, so the host
 * runs the same binary (tools/run-scenario.sh, disk-prng-after).
 * Exit status 0, 1 when standard output fails (a closed connection),
 * 2 for bad arguments.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536

static int parse_u64(const char *text, uint64_t *value)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	*value = strtoull(text, &end, 10);
	return errno || *end ? -1 : 0;
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int write_all(const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	uint64_t seed, bytes, mark = 0, written = 0, state;
	int marked = 0;

	if (argc < 3 || argc > 4 || parse_u64(argv[1], &seed) ||
	    parse_u64(argv[2], &bytes) || (argc == 4 && parse_u64(argv[3], &mark))) {
		fprintf(stderr, "usage: prng SEED BYTES [MARK]\n");
		return 2;
	}
	marked = argc < 4;
	state = splitmix64(seed);
	if (state == 0)
		state = 1;	/* xorshift's one fixed point */
	while (written < bytes) {
		size_t len = bytes - written < CHUNK ? (size_t)(bytes - written) : CHUNK;

		for (size_t i = 0; i < len; i += 8) {
			uint64_t v;

			state ^= state >> 12;
			state ^= state << 25;
			state ^= state >> 27;
			v = state * 0x2545f4914f6cdd1dull;
			for (size_t b = 0; b < 8; b++)
				buf[i + b] = (unsigned char)(v >> (8 * b));
		}
		if (write_all(buf, len))
			return 1;
		written += len;
		if (!marked && written >= mark) {
			fputs("mark\n", stderr);
			marked = 1;
		}
	}
	return 0;
}
