/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harness: a partition's virtual IOAPIC (core/platform/ioapic_model.c)
 * with one owned device's INTx line behind a pin (intx_line_model.c), the
 * way core/platform/device_intx.c drives them: random guest register
 * writes, host arrivals (the line asserts the pin), the guest's EOIs and
 * changes of the target's CPU, as 8-byte operations.
 *
 * Checked on every step: the host input is never unmasked while an
 * interrupt is in service, nor unless routed, nor while the pin is masked
 * or edge-triggered; a line the model routes or unmasks names a
 * deliverable pin; remote IRR is set only on level pins; the pending and
 * in-service bitmaps name only pins that exist.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/platform/intx_line_model.h"
#include "core/platform/ioapic_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PIN 20u

static struct intx_pin pin_of(const struct vioapic *io, bool has_target,
			      uint32_t cpu)
{
	struct vioapic_route route;
	bool masked = true;

	vioapic_route_of(io, PIN, &route, &masked);
	return (struct intx_pin){
	    .masked = masked,
	    .level = route.level,
	    .held = vioapic_in_service(io, route.vector) & (1u << PIN),
	    .vector = route.vector,
	    .delivery_mode = route.delivery_mode,
	    .has_target = has_target,
	    .target_apic_id = cpu,
	};
}

/* What device_intx.c does with a step: the host input's mask bit. */
static void apply(struct intx_step step, bool *host_unmasked,
		  struct vioapic *io)
{
	if (step.release_pin)
		vioapic_deassert(io, PIN);
	if (step.route || step.set_mask)
		*host_unmasked = !step.masked;
}

static void check(const struct intx_line *line, bool host_unmasked,
		  const struct vioapic *io, const struct intx_pin *pin)
{
	if (host_unmasked != line->unmasked)
		abort();
	if (line->unmasked && (line->in_service || !line->routed ||
			       pin->masked || !pin->level || !pin->has_target))
		abort();
	for (unsigned p = 0; p < VIOAPIC_PINS; p++)
		if (io->redirection[p] & VIOAPIC_RTE_REMOTE_IRR &&
		    !(io->redirection[p] & VIOAPIC_RTE_LEVEL))
			abort();
	if (vioapic_pending(io) >> VIOAPIC_PINS ||
	    io->level_asserted >> VIOAPIC_PINS)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vioapic io;
	static struct intx_line line;
	bool host_unmasked = false, has_target = true;
	uint32_t cpu = 1;

	vioapic_reset(&io, 2);
	intx_line_reset(&line);
	for (size_t at = 0; at + 8 <= size; at += 8) {
		const uint8_t *op = data + at;
		uint32_t value;
		struct vioapic_route route;

		memcpy(&value, op + 4, 4);
		switch (op[0] & 7) {
		case 0: /* the guest selects a register */
			vioapic_write(&io, VIOAPIC_IOREGSEL,
				      op[1] & 1 ? 0x10 + 2 * PIN + (op[2] & 1)
						: op[2]);
			break;
		case 1: { /* the guest writes it, then the line follows */
			vioapic_write(&io, VIOAPIC_IOWIN, value);
			uint32_t pending = vioapic_pending(&io);

			/* Once each, as apic.c does (a pin with a reserved
			 * delivery mode stays pending). */
			for (unsigned p = 0; p < VIOAPIC_PINS; p++)
				if (pending & (1u << p))
					(void)vioapic_assert(&io, p, &route);
			break;
		}
		case 2: /* the host input's interrupt arrives */
			if (!host_unmasked)
				break; /* a masked input sends nothing */
			intx_line_arrived(&line);
			host_unmasked = false;
			(void)vioapic_assert(&io, PIN, &route);
			break;
		case 3: { /* the guest's EOI of a vector */
			uint32_t ended = vioapic_in_service(&io, op[1]);

			if (ended & (1u << PIN) && intx_line_ended(&line))
				vioapic_deassert(&io, PIN);
			uint32_t again = vioapic_eoi(&io, op[1]);

			for (unsigned p = 0; p < VIOAPIC_PINS; p++)
				if (again & (1u << p))
					(void)vioapic_assert(&io, p, &route);
			break;
		}
		case 4: /* the target vCPU moves, or none matches */
			cpu = op[1];
			has_target = !(op[2] & 1);
			break;
		case 5: /* a route the IOMMU refuses */
			if (line.routed && op[1] & 1) {
				intx_line_route_failed(&line);
				host_unmasked = false;
			}
			break;
		case 6: /* another pin's level */
			if (op[2] & 1)
				(void)vioapic_assert(&io, op[1] % VIOAPIC_PINS,
						     &route);
			else if (op[1] % VIOAPIC_PINS != PIN)
				vioapic_deassert(&io, op[1] % VIOAPIC_PINS);
			break;
		default:
			(void)vioapic_read(&io, VIOAPIC_IOWIN);
			break;
		}
		struct intx_pin pin = pin_of(&io, has_target, cpu);

		apply(intx_line_follow(&line, &pin), &host_unmasked, &io);
		pin = pin_of(&io, has_target, cpu);
		check(&line, host_unmasked, &io, &pin);
	}
	return 0;
}
