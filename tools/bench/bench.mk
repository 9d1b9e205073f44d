# SPDX-License-Identifier: MIT
# make bench: the benchmarks (tools/bench/bench.sh, docs/performance.md).
# Builds everything, the instruction-counting QEMU plugin (a host shared
# object) and the native twin of the memory workload (a UEFI application
# built like the loader), then runs them all and prints one table.
BENCH_TOOLS := $(BUILD)/tools/bench
BENCH_PLUGIN := $(BENCH_TOOLS)/insn_count_plugin.so
BENCH_NATIVE := $(BENCH_TOOLS)/native_memory.efi
BENCH_NATIVE_OBJ := $(BENCH_TOOLS)/native_memory.o

.PHONY: bench bench-tools
bench-tools: $(BENCH_PLUGIN) $(BENCH_NATIVE)

# QEMU resolves the qemu_plugin_* symbols when it loads the plugin.
$(BENCH_PLUGIN): tools/bench/insn_count_plugin.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) -shared -fPIC -fvisibility=hidden \
		-o $@ $< -lpthread

$(BENCH_NATIVE_OBJ): tools/bench/native_memory.c $(NEWLIB_LIBC) | deps
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -MMD -MP -c -o $@ $<

$(BENCH_TOOLS)/native_memory.so: $(BENCH_NATIVE_OBJ) $(BUILD)/boot/lib/format.o \
		$(NEWLIB_LIBC)
	ld -shared -Bsymbolic -nostdlib -znocombreloc -z noexecstack \
		-T /usr/lib/elf_x86_64_efi.lds /usr/lib/crt0-efi-x86_64.o \
		$(BENCH_NATIVE_OBJ) $(BUILD)/boot/lib/format.o -o $@ \
		$(NEWLIB_LIBC) -L/usr/lib -lefi -lgnuefi
	@! nm -u $@ | grep -q . || { echo "native_memory: undefined symbols:"; nm -u $@; exit 1; }

$(BENCH_NATIVE): $(BENCH_TOOLS)/native_memory.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

bench: all bench-tools
	tools/bench/bench.sh $(BUILD)

# make test runs a quick smoke test of bench.sh (tools/test.sh).
test: bench-tools

-include $(BENCH_NATIVE_OBJ:.o=.d)
