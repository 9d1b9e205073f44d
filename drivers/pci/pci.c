/* SPDX-License-Identifier: MIT */
/*
 * PCI discovery at boot (pci.h): the config access, a counting pass that
 * sizes the boot-heap storage, the scan proper, and the boot log's lines.
 */
#include "pci.h"

#include "core/base/boot_alloc.h"
#include "core/console/console.h"
#include "pci_config.h"
#include "pci_intx.h"

/* Log lines stay readable on an 80-column terminal with one wrap. */
#define LINE_WIDTH 120
/* At 115200 baud a function's line takes about 10 ms: a big machine's
 * hundreds of functions would hold the boot for seconds, so only the
 * first ones are listed (all are kept). */
#define LOGGED_FUNCTIONS 32

static struct pci_function *functions;
static size_t function_count;
static enum pci_intx_chipset intx_chipset;

static struct pci_intx_identity identity(uint8_t device, uint8_t function)
{
	struct pci_address a = { 0, 0, device, function };
	uint32_t id = pci_config_read(a, PCI_VENDOR_ID, 4);
	uint32_t subsystem = pci_config_read(a, 0x2c, 4);

	return (struct pci_intx_identity){ (uint16_t)id, (uint16_t)(id >> 16),
					   (uint16_t)subsystem,
					   (uint16_t)(subsystem >> 16) };
}

static void log_function(const struct pci_function *f)
{
	char text[640];
	char *line = text;

	pci_describe(f, LINE_WIDTH, text, sizeof(text));
	for (char *end = line; *line; line = end) {
		while (*end && *end != '\n')
			end++;
		if (*end)
			*end++ = 0;
		log_line("%s", line);
	}
}

void pci_init(uint64_t acpi_rsdp)
{
	struct pci_root roots[PCI_CONFIG_MAX_WINDOWS];
	size_t root_count, found, capacity;

	if (pci_config_init(acpi_rsdp) == PCI_CONFIG_NONE)
		return;
	uint64_t start = console_microseconds();
	root_count = pci_config_roots(roots, PCI_CONFIG_MAX_WINDOWS);
	/* Count first, so the boot heap gives exactly what is kept. */
	found = pci_scan(&pci_host_access, roots, root_count, NULL, 0);
	capacity = found < PCI_MAX_FUNCTIONS ? found : PCI_MAX_FUNCTIONS;
	if (capacity)
		functions = boot_alloc(capacity * sizeof(*functions),
				       _Alignof(struct pci_function));
	found =
	    pci_scan(&pci_host_access, roots, root_count, functions, capacity);
	function_count = found < capacity ? found : capacity;
	uint64_t took = console_microseconds() - start;

	for (size_t i = 0; i < function_count && i < LOGGED_FUNCTIONS; i++)
		log_function(&functions[i]);
	if (function_count > LOGGED_FUNCTIONS)
		log_line(
		    "pci: %llu more functions kept, not listed",
		    (unsigned long long)(function_count - LOGGED_FUNCTIONS));
	if (found > function_count)
		log_line("pci: %llu functions found; only the first %llu kept "
			 "(PCI_MAX_FUNCTIONS %u)",
			 (unsigned long long)found,
			 (unsigned long long)function_count, PCI_MAX_FUNCTIONS);
	else
		log_line("pci: %llu functions found in %llu us",
			 (unsigned long long)found, (unsigned long long)took);
	struct pci_intx_identity host = identity(0, 0), lpc = identity(0x1f, 0);

	intx_chipset = pci_intx_chipset(&host, &lpc);
	log_line("pci: INTx wiring %s",
		 intx_chipset == PCI_INTX_QEMU_Q35
			 ? "of QEMU's q35 (slot and pin to PIRQ E-H, GSIs 20-23)"
			 : "not known (host bridge is not QEMU's q35): no INTx");
}

int pci_intx_gsi_of(const struct pci_function *f)
{
	return pci_intx_gsi(intx_chipset, f->address.segment ? 0xff
							      : f->address.bus,
			    f->address.device, f->interrupt_pin);
}

const struct pci_function *pci_functions(size_t *count)
{
	*count = function_count;
	return functions;
}

const struct pci_function *pci_find(struct pci_address address)
{
	for (size_t i = 0; i < function_count; i++) {
		const struct pci_address *a = &functions[i].address;

		if (a->segment == address.segment && a->bus == address.bus &&
		    a->device == address.device &&
		    a->function == address.function)
			return &functions[i];
	}
	return NULL;
}

bool pci_bridge_buses(void *context, uint16_t segment, uint8_t bus,
		      uint8_t device, uint8_t function, uint8_t *secondary,
		      uint8_t *subordinate)
{
	const struct pci_function *f =
	    pci_find((struct pci_address){segment, bus, device, function});

	(void)context;
	if (!f || f->header_type != 1)
		return false;
	*secondary = f->secondary_bus;
	*subordinate = f->subordinate_bus;
	return true;
}
