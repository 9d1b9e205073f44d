/* SPDX-License-Identifier: MIT */
/*
 * The page the spinner guest shares with the stopper guest over their
 * channel: the spinner counts into `spins` while it runs and exits once
 * the stopper sets `quit`.
 */
#ifndef GUEST_SPINNER_H
#define GUEST_SPINNER_H

#include <stdint.h>

struct spinner_shared {
	uint64_t spins;
	uint32_t quit;
	uint32_t reserved;
};

#endif
