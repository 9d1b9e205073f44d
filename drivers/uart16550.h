/* SPDX-License-Identifier: MIT */
/* The hypervisor's console UART: a polled 16550 on an I/O port. */
#ifndef BULKHEAD_DRIVERS_UART16550_H
#define BULKHEAD_DRIVERS_UART16550_H

#include <stdbool.h>
#include <stdint.h>

void uart_init(uint16_t port);
void uart_put_char(char c);
/* A received byte, if one is waiting. */
bool uart_get_char(uint8_t *c);

#endif
