/* SPDX-License-Identifier: MIT */
/*
 * guest_catch(): one recovery context per vCPU, armed around a function
 * call by guest_catch_call (catch.S) and consumed by the exception handler
 * through guest_catch_resume().
 */
#include <stddef.h>

#include "exceptions.h"
#include "runtime.h"

struct guest_catch_context {
	uint64_t rbx, rbp, r12, r13, r14, r15;
	uint64_t rsp, rip;
	volatile uint32_t armed;
};

_Static_assert(offsetof(struct guest_catch_context, rsp) == 48, "catch.S");
_Static_assert(offsetof(struct guest_catch_context, rip) == 56, "catch.S");
_Static_assert(offsetof(struct guest_catch_context, armed) == 64, "catch.S");

int guest_catch_call(struct guest_catch_context *context,
		     void (*fn)(void *), void *arg);

static struct guest_catch_context catch_contexts[GUEST_MAX_VCPUS];

int guest_catch(void (*fn)(void *), void *arg)
{
	unsigned vcpu = guest_vcpu_self();

	if (vcpu >= GUEST_MAX_VCPUS) {
		fn(arg);
		return -1;
	}
	return guest_catch_call(&catch_contexts[vcpu], fn, arg);
}

bool guest_catch_resume(struct guest_exception_frame *frame)
{
	unsigned vcpu = guest_vcpu_self();
	struct guest_catch_context *context;

	if (vcpu >= GUEST_MAX_VCPUS)
		return false;
	context = &catch_contexts[vcpu];
	if (!context->armed)
		return false;
	context->armed = 0;

	frame->rbx = context->rbx;
	frame->rbp = context->rbp;
	frame->r12 = context->r12;
	frame->r13 = context->r13;
	frame->r14 = context->r14;
	frame->r15 = context->r15;
	frame->rsp = context->rsp;
	frame->rip = context->rip;
	frame->rax = frame->vector;
	return true;
}
