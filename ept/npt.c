/* SPDX-License-Identifier: MIT */
/*
 * AMD nested page tables: the x86-64 long-mode format with the User bit set
 * at every level (the nested walk is performed as a user access).
 */
#include <bulkhead/x86_paging.h>

#include "stage2.h"

static struct pagetable_format npt_formats[3];

const struct pagetable_format *npt_format(unsigned max_leaf_level)
{
	struct pagetable_format *format = &npt_formats[max_leaf_level > 1 ? 2 : 1];

	x86_paging_format_nested(format, max_leaf_level > 1 ? 2 : 1);
	return format;
}
