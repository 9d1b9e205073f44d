/* SPDX-License-Identifier: MIT */
/*
 * The virtual 16550A's registers and interrupt logic; see uart_model.h. Pure:
 * the state is the caller's, every register index is bounds-checked.
 */
#include "uart_model.h"

#include <string.h>

#define IER_ERBFI    0x01 /* receive data available */
#define IER_ETBEI    0x02 /* transmitter holding register empty */
#define IER_ELSI     0x04 /* receiver line status */
#define IER_WRITABLE 0x0f

#define IIR_NONE	  0x01
#define IIR_THRE	  0x02
#define IIR_RDA		  0x04
#define IIR_LINE_STATUS	  0x06
#define IIR_FIFOS_ENABLED 0xc0

#define FCR_ENABLE   0x01
#define FCR_CLEAR_RX 0x02
#define FCR_KEPT     0xc9 /* enable, DMA mode, receive trigger */

#define LCR_DLAB 0x80
#define LCR_8N1	 0x03

#define MCR_DTR	     0x01
#define MCR_RTS	     0x02
#define MCR_OUT1     0x04
#define MCR_OUT2     0x08
#define MCR_LOOP     0x10
#define MCR_WRITABLE 0x1f

#define LSR_DR	 0x01
#define LSR_OE	 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI	0x40
#define MSR_DCD 0x80

#define INVALID_REGISTER_VALUE 0xff

static bool divisor_latched(const struct vuart *uart)
{
	return uart->lcr & LCR_DLAB;
}

static bool in_loopback(const struct vuart *uart)
{
	return uart->mcr & MCR_LOOP;
}

static bool fifos_enabled(const struct vuart *uart)
{
	return uart->fcr & FCR_ENABLE;
}

static void rx_clear(struct vuart *uart)
{
	uart->rx_head = 0;
	uart->rx_count = 0;
}

/* Queues a byte if fewer than limit are waiting; otherwise an overrun. */
static bool rx_push(struct vuart *uart, uint8_t byte, uint32_t limit)
{
	if (limit > VUART_RX_CAPACITY)
		limit = VUART_RX_CAPACITY;
	if (uart->rx_count >= limit) {
		uart->overrun = true;
		return false;
	}
	uint32_t tail = (uart->rx_head + uart->rx_count) % VUART_RX_CAPACITY;

	uart->rx[tail] = byte;
	uart->rx_count++;
	return true;
}

static uint8_t rx_pop(struct vuart *uart)
{
	if (!uart->rx_count)
		return 0;
	uint32_t head = uart->rx_head % VUART_RX_CAPACITY;
	uint8_t byte = uart->rx[head];

	uart->rx_head = (head + 1) % VUART_RX_CAPACITY;
	uart->rx_count--;
	return byte;
}

/* The highest-priority pending interrupt, as IIR bits 3:0. */
static uint8_t pending_interrupt(const struct vuart *uart)
{
	if ((uart->ier & IER_ELSI) && uart->overrun)
		return IIR_LINE_STATUS;
	if ((uart->ier & IER_ERBFI) && uart->rx_count)
		return IIR_RDA;
	if ((uart->ier & IER_ETBEI) && uart->thre_pending)
		return IIR_THRE;
	return IIR_NONE;
}

static uint8_t read_iir(struct vuart *uart)
{
	uint8_t id = pending_interrupt(uart);

	if (id == IIR_THRE)
		uart->thre_pending = false;
	return id | (fifos_enabled(uart) ? IIR_FIFOS_ENABLED : 0);
}

static uint8_t read_lsr(struct vuart *uart)
{
	uint8_t lsr = LSR_THRE | LSR_TEMT;

	if (uart->rx_count)
		lsr |= LSR_DR;
	if (uart->overrun)
		lsr |= LSR_OE;
	uart->overrun = false;
	return lsr;
}

/* Modem inputs: always ready, or in loopback the looped-back outputs. */
static uint8_t read_msr(const struct vuart *uart)
{
	uint8_t mcr = uart->mcr;
	uint8_t msr = 0;

	if (!in_loopback(uart))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	if (mcr & MCR_DTR)
		msr |= MSR_DSR;
	if (mcr & MCR_RTS)
		msr |= MSR_CTS;
	if (mcr & MCR_OUT1)
		msr |= MSR_RI;
	if (mcr & MCR_OUT2)
		msr |= MSR_DCD;
	return msr;
}

uint8_t vuart_read(struct vuart *uart, unsigned reg)
{
	switch (reg) {
	case VUART_RBR_THR:
		return divisor_latched(uart) ? uart->dll : rx_pop(uart);
	case VUART_IER:
		return divisor_latched(uart) ? uart->dlm : uart->ier;
	case VUART_IIR_FCR:
		return read_iir(uart);
	case VUART_LCR:
		return uart->lcr;
	case VUART_MCR:
		return uart->mcr;
	case VUART_LSR:
		return read_lsr(uart);
	case VUART_MSR:
		return read_msr(uart);
	case VUART_SCR:
		return uart->scr;
	default:
		return INVALID_REGISTER_VALUE;
	}
}

/* Enabling ETBEI while THR is empty (always) raises a THRE interrupt;
 * disabling it drops one. */
static void write_ier(struct vuart *uart, uint8_t value)
{
	uint8_t enabled = value & ~uart->ier;

	uart->ier = value & IER_WRITABLE;
	if (enabled & IER_ETBEI)
		uart->thre_pending = true;
	if (!(uart->ier & IER_ETBEI))
		uart->thre_pending = false;
}

/* Turning the FIFOs on or off empties them; the other bits only count
 * while they are on. */
static void write_fcr(struct vuart *uart, uint8_t value)
{
	if ((value ^ uart->fcr) & FCR_ENABLE)
		rx_clear(uart);
	if (!(value & FCR_ENABLE)) {
		uart->fcr = 0;
		return;
	}
	if (value & FCR_CLEAR_RX)
		rx_clear(uart);
	uart->fcr = value & FCR_KEPT;
}

/* The byte leaves at once (or loops back), so THR is empty again and a
 * THRE interrupt is raised if enabled. */
static bool write_thr(struct vuart *uart, uint8_t value, uint8_t *transmitted)
{
	bool sent = !in_loopback(uart);

	if (sent && transmitted)
		*transmitted = value;
	if (!sent)
		rx_push(uart, value,
			fifos_enabled(uart) ? VUART_FIFO_DEPTH : 1);
	uart->thre_pending = (uart->ier & IER_ETBEI) != 0;
	return sent;
}

bool vuart_write(struct vuart *uart, unsigned reg, uint8_t value,
		 uint8_t *transmitted)
{
	switch (reg) {
	case VUART_RBR_THR:
		if (!divisor_latched(uart))
			return write_thr(uart, value, transmitted);
		uart->dll = value;
		break;
	case VUART_IER:
		if (divisor_latched(uart))
			uart->dlm = value;
		else
			write_ier(uart, value);
		break;
	case VUART_IIR_FCR:
		write_fcr(uart, value);
		break;
	case VUART_LCR:
		uart->lcr = value;
		break;
	case VUART_MCR:
		uart->mcr = value & MCR_WRITABLE;
		break;
	case VUART_SCR:
		uart->scr = value;
		break;
	default: /* LSR and MSR are read-only; others do not exist */
		break;
	}
	return false;
}

bool vuart_receive(struct vuart *uart, uint8_t byte)
{
	if (in_loopback(uart))
		return false;
	return rx_push(uart, byte, VUART_RX_CAPACITY);
}

bool vuart_irq_line(const struct vuart *uart)
{
	return pending_interrupt(uart) != IIR_NONE && (uart->mcr & MCR_OUT2) &&
	       !in_loopback(uart);
}

void vuart_reset(struct vuart *uart)
{
	memset(uart, 0, sizeof(*uart));
	uart->lcr = LCR_8N1;
	uart->dll = 1;
}
