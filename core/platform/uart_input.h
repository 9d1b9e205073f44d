/* SPDX-License-Identifier: MIT */
/* Typed console input for the focused PC partition; see the .c file. */
#ifndef BULKHEAD_CORE_PLATFORM_UART_INPUT_H
#define BULKHEAD_CORE_PLATFORM_UART_INPUT_H

#include "core/partition/partition.h"

/* Boot: gives the focus to the first partition with the PC platform. */
void console_input_init(void);
/* Whether vcpu should poll the console (vCPU 0 of the focused partition). */
bool console_input_owner(const struct vcpu *vcpu);
/* Reads what was typed; called by the owner about every 10 ms. */
void console_input_poll(struct vcpu *vcpu);
/* Before each entry of a PC partition's vCPU: polls when this vCPU owns
 * the input and a poll is due; keeps vcpu->next_console_poll (the host
 * timer's other deadline) set while it owns the input, 0 otherwise. */
void console_input_poll_due(struct vcpu *vcpu);
/* The TSC interval between polls. */
uint64_t console_input_interval(void);

#endif
