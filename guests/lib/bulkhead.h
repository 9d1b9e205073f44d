/* SPDX-License-Identifier: MIT */
/*
 * The guest library's public header: everything a guest needs in one
 * include. See guests/README.md for an overview.
 */
#ifndef GUEST_BULKHEAD_H
#define GUEST_BULKHEAD_H

#include <bulkhead/hypercall.h>

#include "args.h"
#include "channel.h"
#include "console.h"
#include "cpu.h"
#include "exceptions.h"
#include "hypercall.h"
#include "interrupts.h"
#include "layout.h"
#include "paging.h"
#include "runtime.h"

#endif
