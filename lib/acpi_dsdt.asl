/* SPDX-License-Identifier: MIT */
/*
 * The DSDT of a partition with the PC platform (lib/acpi_dsdt.c picks and
 * patches it; docs/devices.md says what Linux makes of it). One source,
 * compiled by iasl in three variants (mk/acpi.mk):
 *
 *   no symbol                   \_S5 only: a partition that owns no PCI
 *                               function has no host bridge at all;
 *   BULKHEAD_PCI                \_S5 and the host bridge \_SB.PCI0;
 *   BULKHEAD_PCI BULKHEAD_ECAM  and \_SB.MRES, the motherboard resource
 *                               that reserves the MCFG's ECAM window.
 *
 * A device that does not exist is left out rather than hidden behind
 * _STA = 0: the namespace then says only what is there, and a partition
 * without PCI gets byte for byte the DSDT it had before PCI came.
 *
 * The per-partition values are 64-bit marker integers, each written
 * exactly once: 0xB1C0DE, a kind byte, a 16-bit slot number and 16 zero
 * bits (lib/acpi_dsdt.c: MARK, KIND_*). The builder finds every marker
 * in the AML, refuses to build when one is missing or found twice, and writes
 * the partition's values over them. So the slots may move when this file
 * changes; their number and kinds may not without lib/acpi_dsdt.c (the
 * unit test disassembles and evaluates the result).
 *
 * Inside #ifdef only // comments: iasl 20200925's preprocessor loses the
 * end of a block comment in a skipped region and then never finishes.
 */
DefinitionBlock ("", "DSDT", 2, "BLKHD ", "BULKHEAD", 1)
{
	/* SLP_TYPa and SLP_TYPb for soft-off (ACPI_SLP_TYP_S5). */
	Name (_S5, Package (4) { 5, 5, 0, 0 })
#ifdef BULKHEAD_PCI
	Device (\_SB.PCI0)
	{
		Name (_HID, EisaId ("PNP0A08"))	// PCI Express root bridge
		Name (_CID, EisaId ("PNP0A03"))	// PCI root bridge
		Name (_SEG, 0)
		Name (_BBN, 0)
		Name (_UID, 0)

		// What the bridge always has: bus 0 only, and the ports of
		// configuration mechanism 1, which it consumes itself.
		Name (CRSF, ResourceTemplate ()
		{
			WordBusNumber (ResourceProducer, MinFixed, MaxFixed,
			    PosDecode, 0x0000, 0x0000, 0x0000, 0x0000,
			    0x0001)
			IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
		})
		// The windows: 24 uniform slots (QWord address space
		// descriptors, 46 bytes each, kind 0x52 at _MIN) that the
		// builder rewrites in order: the memory windows, then the
		// I/O windows, then empty descriptors. CRSL (kind 0x51)
		// becomes the bytes the used slots take, and _CRS returns
		// only those, with an end tag, after the fixed part: an
		// unused slot is never a window, whatever it holds. Slot 0
		// must open CRSW (the builder checks that the slots follow
		// each other from it).
		Name (CRSL, 0xB1C0DE5100000000)
		Name (CRSW, ResourceTemplate ()
		{
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200000000, 0xB1C0DE5200000FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200010000, 0xB1C0DE5200010FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200020000, 0xB1C0DE5200020FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200030000, 0xB1C0DE5200030FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200040000, 0xB1C0DE5200040FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200050000, 0xB1C0DE5200050FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200060000, 0xB1C0DE5200060FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200070000, 0xB1C0DE5200070FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200080000, 0xB1C0DE5200080FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200090000, 0xB1C0DE5200090FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE52000A0000, 0xB1C0DE52000A0FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE52000B0000, 0xB1C0DE52000B0FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE52000C0000, 0xB1C0DE52000C0FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE52000D0000, 0xB1C0DE52000D0FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE52000E0000, 0xB1C0DE52000E0FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE52000F0000, 0xB1C0DE52000F0FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200100000, 0xB1C0DE5200100FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200110000, 0xB1C0DE5200110FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200120000, 0xB1C0DE5200120FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200130000, 0xB1C0DE5200130FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200140000, 0xB1C0DE5200140FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200150000, 0xB1C0DE5200150FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200160000, 0xB1C0DE5200160FFF, 0,
			    0x1000)
			QWordMemory (ResourceProducer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5200170000, 0xB1C0DE5200170FFF, 0,
			    0x1000)
		})
		Method (_CRS, 0, Serialized)
		{
			Local0 = Concatenate (Mid (CRSW, 0, CRSL),
			    Buffer (2) { 0x79, 0x00 })
			Return (ConcatenateResTemplate (CRSF, Local0))
		}

		// INTx routing: 16 entries, each { device << 16 | 0xFFFF,
		// pin (0-3: INTA-D), 0, GSI } (kinds 0x55, 0x56 and 0x57),
		// of which the builder writes the first PRTN (kind 0x54);
		// _PRT returns only those. Source 0: the pin is that GSI of
		// the IOAPIC, level triggered, active low.
		Name (PRTN, 0xB1C0DE5400000000)
		Name (PRTT, Package (16)
		{
			Package (4) { 0xB1C0DE5500000000, 0xB1C0DE5600000000, 0,
			    0xB1C0DE5700000000 },
			Package (4) { 0xB1C0DE5500010000, 0xB1C0DE5600010000, 0,
			    0xB1C0DE5700010000 },
			Package (4) { 0xB1C0DE5500020000, 0xB1C0DE5600020000, 0,
			    0xB1C0DE5700020000 },
			Package (4) { 0xB1C0DE5500030000, 0xB1C0DE5600030000, 0,
			    0xB1C0DE5700030000 },
			Package (4) { 0xB1C0DE5500040000, 0xB1C0DE5600040000, 0,
			    0xB1C0DE5700040000 },
			Package (4) { 0xB1C0DE5500050000, 0xB1C0DE5600050000, 0,
			    0xB1C0DE5700050000 },
			Package (4) { 0xB1C0DE5500060000, 0xB1C0DE5600060000, 0,
			    0xB1C0DE5700060000 },
			Package (4) { 0xB1C0DE5500070000, 0xB1C0DE5600070000, 0,
			    0xB1C0DE5700070000 },
			Package (4) { 0xB1C0DE5500080000, 0xB1C0DE5600080000, 0,
			    0xB1C0DE5700080000 },
			Package (4) { 0xB1C0DE5500090000, 0xB1C0DE5600090000, 0,
			    0xB1C0DE5700090000 },
			Package (4) { 0xB1C0DE55000A0000, 0xB1C0DE56000A0000, 0,
			    0xB1C0DE57000A0000 },
			Package (4) { 0xB1C0DE55000B0000, 0xB1C0DE56000B0000, 0,
			    0xB1C0DE57000B0000 },
			Package (4) { 0xB1C0DE55000C0000, 0xB1C0DE56000C0000, 0,
			    0xB1C0DE57000C0000 },
			Package (4) { 0xB1C0DE55000D0000, 0xB1C0DE56000D0000, 0,
			    0xB1C0DE57000D0000 },
			Package (4) { 0xB1C0DE55000E0000, 0xB1C0DE56000E0000, 0,
			    0xB1C0DE57000E0000 },
			Package (4) { 0xB1C0DE55000F0000, 0xB1C0DE56000F0000, 0,
			    0xB1C0DE57000F0000 },
		})
		Method (_PRT, 0, Serialized)
		{
			Local0 = Package (PRTN) {}
			Local1 = 0
			While (Local1 < PRTN)
			{
				Local0 [Local1] = DerefOf (PRTT [Local1])
				Local1++
			}
			Return (Local0)
		}
	}
#ifdef BULKHEAD_ECAM
	// The MCFG's ECAM window, reserved as a motherboard resource: Linux
	// uses an MCFG region only when such a device claims it ("MMCONFIG
	// at ... reserved as ACPI motherboard resource"). The builder writes
	// the window over the slot (kind 0x58 at _MIN).
	Device (\_SB.MRES)
	{
		Name (_HID, EisaId ("PNP0C02"))	// motherboard resources
		Name (_UID, 0)
		Name (_CRS, ResourceTemplate ()
		{
			QWordMemory (ResourceConsumer, PosDecode, MinFixed,
			    MaxFixed, NonCacheable, ReadWrite, 0,
			    0xB1C0DE5800000000, 0xB1C0DE5800000FFF, 0,
			    0x1000)
		})
	}
#endif
#endif
}
