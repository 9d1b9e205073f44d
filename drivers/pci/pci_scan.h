/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration over any configuration-space access: the host's (ECAM or
 * the 0xcf8/0xcfc ports, pci_config.h) at boot, a fake one in the unit
 * test. For every function found it records the address, identity, class,
 * header type, BARs with their sizes, the expansion ROM, the capabilities
 * a passthrough needs (MSI, MSI-X, PCI Express, power management), the
 * interrupt pin and, for a bridge, its bus range. Pure: no I/O but through
 * the access given, no allocation, no global state.
 */
#ifndef BULKHEAD_DRIVERS_PCI_PCI_SCAN_H
#define BULKHEAD_DRIVERS_PCI_PCI_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Configuration-space registers the scan reads (and later users need). */
#define PCI_VENDOR_ID	    0x00
#define PCI_DEVICE_ID	    0x02
#define PCI_COMMAND	    0x04
#define PCI_STATUS	    0x06
#define PCI_CLASS_REVISION  0x08
#define PCI_HEADER_TYPE	    0x0e
#define PCI_BAR0	    0x10
#define PCI_PRIMARY_BUS	    0x18
#define PCI_SECONDARY_BUS   0x19
#define PCI_SUBORDINATE_BUS 0x1a
#define PCI_ROM_ADDRESS	    0x30 /* header type 0 */
#define PCI_CAPABILITY_LIST 0x34
#define PCI_BRIDGE_ROM	    0x38 /* header type 1 */
#define PCI_INTERRUPT_LINE  0x3c
#define PCI_INTERRUPT_PIN   0x3d
#define PCI_COMMAND_IO	    0x0001
#define PCI_COMMAND_MEMORY  0x0002
#define PCI_COMMAND_MASTER  0x0004
#define PCI_STATUS_CAPS	    0x0010
#define PCI_HEADER_MULTI    0x80
#define PCI_CONFIG_SIZE	    256	 /* what the legacy ports reach */
#define PCI_EXTENDED_SIZE   4096 /* ECAM: the extended space too */

/* Capability IDs the scan records. */
#define PCI_CAP_POWER	0x01
#define PCI_CAP_MSI	0x05
#define PCI_CAP_EXPRESS 0x10
#define PCI_CAP_MSIX	0x11
/* A standard capability list holds at most (256 - 64) / 4 entries; a
 * longer walk is a loop. */
#define PCI_MAX_CAPABILITIES 48

#define PCI_MAX_BARS	      6
#define PCI_SCAN_MAX_SEGMENTS 16

struct pci_address {
	uint16_t segment;
	uint8_t bus;
	uint8_t device;	  /* 0-31 */
	uint8_t function; /* 0-7 */
};

/*
 * A configuration-space access. size is 1, 2 or 4 and offset a multiple
 * of it below PCI_EXTENDED_SIZE; an absent function, or an offset the
 * mechanism cannot reach, reads as all ones and ignores writes.
 */
struct pci_config_access {
	uint32_t (*read)(void *context, struct pci_address address,
			 uint16_t offset, unsigned size);
	void (*write)(void *context, struct pci_address address,
		      uint16_t offset, unsigned size, uint32_t value);
	void *context;
};

/* Where a scan starts: one host bridge's hierarchy in a segment, whose
 * first bus is start_bus; buses outside [start_bus, end_bus] are not
 * followed. */
struct pci_root {
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
};

enum pci_bar_type {
	PCI_BAR_NONE = 0,      /* no BAR in this slot (it sizes as 0) */
	PCI_BAR_IO,	       /* I/O ports */
	PCI_BAR_MEMORY32,      /* memory below 4 GiB */
	PCI_BAR_MEMORY64,      /* memory, 64-bit: this slot and the next */
	PCI_BAR_MEMORY64_HIGH, /* the upper half of the BAR before it */
};

struct pci_bar {
	uint64_t address; /* as the firmware programmed it, flags cleared */
	uint64_t size;	  /* bytes decoded, a power of two; 0 if none */
	uint8_t type;	  /* enum pci_bar_type */
	bool prefetchable;
};

struct pci_msi {
	uint8_t offset; /* of the capability; 0 when there is none */
	bool address_64bit;
	bool per_vector_mask;
	uint8_t vectors; /* multiple message capable: 1, 2, 4 ... 32 */
};

struct pci_msix {
	uint8_t offset;	       /* 0 when there is none */
	uint16_t table_size;   /* entries, 1-2048 */
	uint8_t table_bar;     /* the BAR (BIR) holding the table */
	uint8_t pba_bar;       /* and the pending-bit array */
	uint32_t table_offset; /* within that BAR, 8-byte aligned */
	uint32_t pba_offset;
};

struct pci_express {
	uint8_t offset;	   /* 0 when the function is not PCI Express */
	uint8_t port_type; /* device/port type (0 endpoint, 4 root port...) */
	bool flr;	   /* function level reset (device capabilities) */
	uint32_t device_capabilities;
};

struct pci_power {
	uint8_t offset;	       /* 0 when there is none */
	bool no_soft_reset;    /* D3hot to D0 keeps the function's state */
	uint16_t capabilities; /* the PMC register */
};

struct pci_function {
	struct pci_address address;
	uint16_t vendor_id;
	uint16_t device_id;
	uint8_t class_code; /* base class */
	uint8_t subclass;
	uint8_t prog_if;
	uint8_t revision;
	uint8_t header_type; /* 0 device, 1 PCI-PCI bridge, 2 CardBus */
	bool multifunction;
	uint16_t command; /* as found (and left) */
	uint16_t status;
	uint8_t interrupt_pin;	/* 0 none, 1-4 INTA-INTD */
	uint8_t interrupt_line; /* as the firmware left it; 0xff unknown */
	uint8_t bar_count;	/* BAR slots of the header type: 6, 2, 1, 0 */
	struct pci_bar bars[PCI_MAX_BARS];
	uint32_t rom_address; /* expansion ROM base, enable bit cleared */
	uint32_t rom_size;    /* 0 when there is no ROM BAR */
	bool rom_enabled;     /* decoding (the ROM BAR's enable bit) */
	/* Header type 1: the buses behind the bridge. */
	uint8_t secondary_bus;
	uint8_t subordinate_bus;
	struct pci_msi msi;
	struct pci_msix msix;
	struct pci_express express;
	struct pci_power power;
	uint8_t capability_count; /* capabilities walked */
	/* The list looped, pointed into the header, ran past
	 * PCI_MAX_CAPABILITIES or past the 256-byte space: the walk
	 * stopped there. */
	bool capabilities_broken;
};

/*
 * Reads the function at address into *function and sizes its BARs and
 * ROM: each is written with all ones and read back, then restored, with
 * I/O and memory decoding off in the command register meanwhile (except
 * on a host bridge, class 06/00, which may decode the CPU's own memory),
 * and the command register is restored after. Returns false, writing
 * nothing to the device, when no function answers (vendor ID 0xffff or 0).
 * Nothing else may touch the function meanwhile.
 */
bool pci_read_function(const struct pci_config_access *access,
		       struct pci_address address,
		       struct pci_function *function);

/*
 * Enumerates each root's hierarchy: every device of each bus, every
 * function of a multi-function device, and the secondary bus of every
 * PCI-PCI bridge (as the firmware numbered it, within the root's bus
 * range and above the bridge's own bus; each bus of a segment is scanned
 * once, so a misprogrammed bridge cannot loop). Stores the first capacity
 * functions found, bus by bus in the order buses are reached, and returns
 * how many were found (more than capacity when they did not all fit; the
 * rest are counted, not read). At most PCI_SCAN_MAX_SEGMENTS different
 * segments are scanned; roots of further segments are skipped.
 */
size_t pci_scan(const struct pci_config_access *access,
		const struct pci_root *roots, size_t root_count,
		struct pci_function *functions, size_t capacity);

/* "0000:00:02.0" into buffer (at least PCI_ADDRESS_TEXT bytes). */
#define PCI_ADDRESS_TEXT 13
void pci_address_text(struct pci_address address, char *buffer);

/* Whether f's MSI-X table and pending-bit array lie inside memory BARs it
 * has (a BIR naming a missing, I/O or reserved slot, or a table past its
 * BAR's end, makes MSI-X unusable: nothing may be written there). */
bool pci_msix_reachable(const struct pci_function *f);

/*
 * The function in short words, for the boot log, e.g. (on one line)
 *   pci 0000:00:10.0 1234:11e8 class 00ff00 bar0 mem32 0xfea00000+1 MiB
 *   msi[64] pin A line 11
 * as one or more lines separated by '\n' (none at the end), each at most
 * width characters (width at least 80); a line that would be longer goes
 * on in the next, which starts "pci 0000:00:10.0 ...". Words: the bus
 * range of a bridge ("bridge 01-02"), each BAR ("bar2 io 0xc000+32 B",
 * "bar4 mem64 pref 0x800000000+16 KiB"), the ROM ("rom 0xfeb80000+256
 * KiB", or "rom 64 KiB" while it does not decode), the capabilities
 * ("msi" or "msi[64,mask,x4]", "msix[5 bar3+0x0 pba bar3+0x2000]",
 * "pcie" or "pcie[flr]", "pm", "caps-broken" after a broken list) and the
 * interrupt pin and line. Writes at most size bytes, NUL-terminated;
 * returns the length of the whole text.
 */
size_t pci_describe(const struct pci_function *function, size_t width,
		    char *buffer, size_t size);

#endif
