/* SPDX-License-Identifier: MIT */
/*
 * A test-and-test-and-set spinlock for the few places CPUs share state (the
 * console, partition state changes). The VM-exit path of a vCPU takes none
 * unless it prints or changes its partition's state.
 */
#ifndef BULKHEAD_ARCH_SPINLOCK_H
#define BULKHEAD_ARCH_SPINLOCK_H

#include "cpu.h"

struct spinlock {
	volatile uint32_t locked;
};

static inline void spin_lock(struct spinlock *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (lock->locked)
			cpu_relax();
}

static inline void spin_unlock(struct spinlock *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

#endif
