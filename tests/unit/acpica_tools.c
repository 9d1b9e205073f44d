/* SPDX-License-Identifier: MIT */
/*
 * Running iasl and acpiexec on tables built by the unit tests, and reading
 * back what acpiexec evaluated (acpica_tools.h). The tools run under
 * timeout(1), so a tool that hangs fails the test instead of stopping it.
 */
#include "acpica_tools.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOOL_TIMEOUT "60"

struct scratch {
	char directory[64];
	char table[96];
};

static int scratch_open(struct scratch *s, const uint8_t *table, size_t length)
{
	FILE *file;
	size_t written;

	snprintf(s->directory, sizeof(s->directory), "/tmp/acpica.XXXXXX");
	if (!mkdtemp(s->directory))
		return -1;
	snprintf(s->table, sizeof(s->table), "%s/table.aml", s->directory);
	file = fopen(s->table, "wb");
	if (!file)
		return -1;
	written = fwrite(table, 1, length, file);
	return fclose(file) == 0 && written == length ? 0 : -1;
}

static void scratch_close(const struct scratch *s)
{
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", s->directory);
	if (system(command) != 0)
		fprintf(stderr, "acpica_tools: cannot remove %s\n",
			s->directory);
}

static char *read_all(FILE *file)
{
	size_t size = 0, capacity = 4096;
	char *text = malloc(capacity);
	size_t got;

	while (text &&
	       (got = fread(text + size, 1, capacity - size - 1, file)) > 0) {
		size += got;
		if (capacity - size - 1 == 0) {
			char *bigger = realloc(text, capacity * 2);

			if (!bigger) {
				free(text);
				return NULL;
			}
			text = bigger;
			capacity *= 2;
		}
	}
	if (text)
		text[size] = '\0';
	return text;
}

static char *run(const char *command)
{
	FILE *pipe = popen(command, "r");
	char *text;

	if (!pipe)
		return NULL;
	text = read_all(pipe);
	if (pclose(pipe) == -1) {
		free(text);
		return NULL;
	}
	return text;
}

char *acpica_disassemble(const uint8_t *table, size_t length)
{
	struct scratch s;
	char command[256], dsl[112];
	char *text = NULL, *log;
	FILE *file;

	if (scratch_open(&s, table, length) == 0) {
		snprintf(command, sizeof(command),
			 "cd '%s' && timeout " TOOL_TIMEOUT
			 " iasl -d table.aml 2>&1",
			 s.directory);
		log = run(command);
		snprintf(dsl, sizeof(dsl), "%s/table.dsl", s.directory);
		file = fopen(dsl, "r");
		if (file) {
			text = read_all(file);
			fclose(file);
		} else {
			fprintf(stderr, "iasl -d wrote no .dsl:\n%s\n",
				log ? log : "(iasl did not run)");
		}
		free(log);
	}
	scratch_close(&s);
	return text;
}

char *acpica_evaluate(const uint8_t *dsdt, size_t length,
		      const char *const *paths)
{
	struct scratch s;
	char command[1024];
	size_t used;
	char *text = NULL;

	if (scratch_open(&s, dsdt, length) == 0) {
		used =
		    (size_t)snprintf(command, sizeof(command),
				     "timeout " TOOL_TIMEOUT " acpiexec -b '");
		for (size_t i = 0; paths[i] && used < sizeof(command); i++)
			used += (size_t)snprintf(
			    command + used, sizeof(command) - used,
			    "%sevaluate %s", i ? ";" : "", paths[i]);
		if (used < sizeof(command))
			used += (size_t)snprintf(command + used,
						 sizeof(command) - used,
						 "' '%s' 2>&1", s.table);
		if (used < sizeof(command))
			text = run(command);
	}
	scratch_close(&s);
	return text;
}

/* The part of text that reports on path: from its "Evaluating" line to
 * the next one; malloc'd, NULL when path was not evaluated. */
static char *section(const char *text, const char *path)
{
	char heading[160];
	const char *start, *end;
	char *copy;

	snprintf(heading, sizeof(heading), "Evaluating %s\n", path);
	start = strstr(text, heading);
	if (!start)
		return NULL;
	start += strlen(heading);
	end = strstr(start, "Evaluating ");
	if (!end)
		end = start + strlen(start);
	copy = malloc((size_t)(end - start) + 1);
	if (copy) {
		memcpy(copy, start, (size_t)(end - start));
		copy[end - start] = '\0';
	}
	return copy;
}

/* The line after the first one of text that contains marker. */
static const char *after_line_with(const char *text, const char *marker)
{
	const char *at = strstr(text, marker);

	if (!at)
		return NULL;
	at = strchr(at, '\n');
	return at ? at + 1 : NULL;
}

/* acpiexec prints a buffer as lines "    0000: 88 0D 00 ...  // text". */
static long buffer_bytes(const char *line, uint8_t *bytes, size_t max)
{
	size_t count = 0;

	while (line) {
		const char *at = line;
		unsigned offset, value;
		int used;

		while (*at == ' ')
			at++;
		if (sscanf(at, "%4x:%n", &offset, &used) != 1 ||
		    offset != count)
			break;
		at += used;
		for (;;) {
			while (*at == ' ')
				at++;
			if (at[0] == '/' || at[0] == '\n' || !at[0] ||
			    sscanf(at, "%2x%n", &value, &used) != 1)
				break;
			if (count < max)
				bytes[count] = (uint8_t)value;
			count++;
			at += used;
		}
		line = strchr(at, '\n');
		if (line)
			line++;
	}
	return (long)count;
}

long acpica_result_buffer(const char *text, const char *path, uint8_t *bytes,
			  size_t max)
{
	char *part = section(text, path);
	const char *line =
	    part ? after_line_with(part, "[Buffer] Length ") : NULL;
	long count = line ? buffer_bytes(line, bytes, max) : -1;

	free(part);
	return count;
}

/* acpiexec prints a package as "[Package] Contains N Elements:" and then
 * its elements, nested packages indented, integers as "[Integer] = HEX". */
long acpica_result_package(const char *text, const char *path,
			   uint64_t *integers, size_t max,
			   size_t *integer_count)
{
	char *part = section(text, path);
	const char *at = part ? strstr(part, "[Package] Contains ") : NULL;
	unsigned elements;

	*integer_count = 0;
	if (!at || sscanf(at, "[Package] Contains %u", &elements) != 1) {
		free(part);
		return -1;
	}
	while ((at = strstr(at, "[Integer] = ")) != NULL) {
		uint64_t value;

		at += strlen("[Integer] = ");
		if (sscanf(at, "%" SCNx64, &value) != 1)
			break;
		if (*integer_count < max)
			integers[*integer_count] = value;
		(*integer_count)++;
	}
	free(part);
	return elements;
}
