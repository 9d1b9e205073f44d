/* SPDX-License-Identifier: MIT */
/*
 * The core's boot sequence on the boot CPU, and the start of every other
 * CPU: own descriptors and page tables, per-CPU stacks, the backend, the
 * partitions, the APs, then each CPU runs the vCPU assigned to it. After
 * the guests start the boot heap is sealed: no allocation ever again.
 */
#include <bulkhead/bootinfo.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idle.h"
#include "arch/x86_64/interrupt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "core/base/boot_alloc.h"
#include "core/base/panic.h"
#include "core/console/console.h"
#include "core/partition/partition.h"
#include "core/partition/partition_build.h"
#include "core/partition/partition_lifecycle.h"
#include "core/passthrough/passthrough.h"
#include "core/partition/run_end.h"
#include "core/platform/device_intx.h"
#include "core/platform/device_msi.h"
#include "core/platform/uart_input.h"
#include "core/vcpu/vcpu_loop.h"
#include "drivers/pci/pci.h"
#include "ept/stage2.h"

struct cpu *cpus[CONFIG_MAX_CPUS];
uint32_t cpu_count;

static const struct bootinfo *info;
static uint64_t host_cr3;
static volatile int guests_go;

/* A device's interrupt: an owned device's INTx line or MSI vector. */
static void device_interrupt(uint8_t vector)
{
	if (device_intx_vector(vector))
		device_intx_interrupt(vector);
	else
		device_msi_interrupt(vector);
}

void core_main(const struct bootinfo *boot);

static void enable_virtualization(struct cpu *cpu)
{
	char error[160];

	if (!backend->cpu_enable(cpu, error, sizeof(error)))
		panic("%s", error);
}

/* The first CPU no partition uses (else CPU 0): the IOMMU's fault events
 * wake it, and it polls for faults (serve_faults). */
static uint32_t service_cpu_index(void)
{
	uint64_t used = 0;

	for (uint32_t i = 0; i < info->config.partition_count; i++)
		used |= info->config.partitions[i].cpu_mask;
	for (uint32_t c = 0; c < info->cpu_count; c++)
		if (!(used & 1ull << c))
			return c;
	return 0;
}

static uint32_t service_apic_id(void)
{
	return info->cpus[service_cpu_index()].apic_id;
}

static uint32_t partition_count_of(const struct bootinfo *boot)
{
	return boot->config.partition_count;
}

/* The service CPU's life while partitions own devices: woken by a fault
 * event (an NMI) or, as a backstop, every 10 ms by its timer. */
static __attribute__((noreturn)) void serve_faults(void)
{
	static volatile uint64_t never;

	for (;;) {
		lapic_timer_arm(rdtsc() + info->tsc_hz / 100);
		idle_until_woken(&never);
		passthrough_poll_faults(partition_fault);
	}
}

/* Every CPU ends here: run our vCPU, if any, then idle for good. */
static __attribute__((noreturn)) void cpu_run(struct cpu *cpu)
{
	while (!guests_go)
		cpu_relax();
	if (cpu->vcpu)
		vcpu_thread(cpu->vcpu);
	if (passthrough_active() && cpu->index == service_cpu_index())
		serve_faults();
	cpu_halt_forever();
}

static void ap_main(struct cpu *cpu)
{
	/* The trampoline loads the whole of CR0: caches must be on. */
	if (read_cr0() & (CR0_CD | CR0_NW))
		panic("CPU %u started with caching disabled (CR0 0x%llx)",
		      cpu->index, (unsigned long long)read_cr0());
	write_cr3(host_cr3);
	cpu_load_descriptors(cpu);
	lapic_init(info->lapic_base);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	enable_virtualization(cpu);
	__atomic_store_n(&cpu->online, 1, __ATOMIC_RELEASE);
	cpu_run(cpu);
}

static void create_cpus(void)
{
	cpu_count = info->cpu_count;
	for (uint32_t i = 0; i < cpu_count; i++) {
		struct cpu *cpu = boot_alloc(CPU_STACK_SIZE, CPU_STACK_SIZE);

		cpu->index = i;
		cpu->apic_id = info->cpus[i].apic_id;
		cpu->virt_host_area = boot_alloc(PAGE_SIZE, PAGE_SIZE);
		cpu->virt_host_area_physical = (uintptr_t)cpu->virt_host_area;
		cpus[i] = cpu;
	}
}

static void start_application_processors(void)
{
	smp_prepare(info->trampoline.base, host_cr3);
	for (uint32_t i = 1; i < cpu_count; i++) {
		if (!smp_start_cpu(cpus[i], (void (*)(struct cpu *))ap_main,
				   info->tsc_hz))
			panic("CPU %u (APIC ID %u) did not start", i,
			      cpus[i]->apic_id);
	}
	log_line("%u CPUs online", cpu_count);
}

static void boot_cpu_main(void *argument)
{
	struct cpu *cpu = argument;
	char error[PASSTHROUGH_ERROR_MAX];

	cpu_load_descriptors(cpu);
	lapic_init(info->lapic_base);
	interrupts_mask_legacy(info->ioapic_base);
	lapic_timer_calibrate(info->tsc_hz);
	cpu->online = 1;
	backend = vcpu_backend_detect(error, sizeof(error));
	if (!backend)
		panic("%s", error);
	log_line("virtualization: %s", backend->name);
	enable_virtualization(cpu);
	pci_init(info->acpi_rsdp);
	run_end_init(partition_count_of(info), info->config.exit_port);
	if (!passthrough_init(info, service_apic_id(), error))
		run_end_refused(error);
	partitions_create(info);
	if (!stage2_audit(partitions, partition_count, info))
		panic("stage-2 tables fail the isolation audit");
	if (!passthrough_audit())
		panic("DMA domains fail the isolation audit");
	start_application_processors();
	for (uint32_t i = 0; i < partition_count; i++) {
		const struct partition *p = partitions[i];

		log_line("partition %s: CPUs %u, %llu MiB, platform %s, entry "
			 "0x%llx, starting",
			 p->config->name, p->vcpu_count,
			 (unsigned long long)p->memory_size >> 20,
			 partition_has_pc(p) ? "pc" : "none",
			 (unsigned long long)p->image->entry);
	}
	console_input_init();
	log_line("boot heap: %llu KiB used; sealed",
		 (unsigned long long)boot_alloc_used() >> 10);
	boot_alloc_seal();
	log_line("boot took %llu us since loader entry",
		 (unsigned long long)console_microseconds());
	__atomic_store_n(&guests_go, 1, __ATOMIC_RELEASE);
	cpu_run(cpu);
}

void core_main(const struct bootinfo *boot)
{
	info = boot;
	interrupt_set_exception_handler(panic_exception);
	interrupt_set_device_handler(device_interrupt);
	panic_set_report(run_end_panic);
	console_init(boot->config.console_uart, boot->tsc_hz, boot->loader_tsc);
	if (boot->magic != BOOTINFO_MAGIC || boot->version != BOOTINFO_VERSION)
		panic("boot info has a bad magic or version");
	log_line("core at 0x%llx (%llu KiB), %u CPUs, TSC %llu kHz",
		 (unsigned long long)boot->core.base,
		 (unsigned long long)boot->core.size >> 10, boot->cpu_count,
		 (unsigned long long)boot->tsc_hz / 1000);
	boot_alloc_init(boot->heap.base, boot->heap.size);
	host_cr3 = paging_build_identity(boot->max_physical,
					 &boot_page_allocator);
	if (!host_cr3)
		panic("cannot build the hypervisor's page tables below 4 GiB");
	write_cr3(host_cr3);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	create_cpus();
	arch_switch_stack(cpu_stack_top(cpus[0]), boot_cpu_main, cpus[0]);
}
