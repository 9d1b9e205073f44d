# SPDX-License-Identifier: MIT
# The fuzz harnesses (tests/fuzz/fuzz_*.c, docs/testing.md "Fuzzing"):
# each is one libFuzzer binary (clang with ASan and UBSan) over the same
# pure modules the unit tests link, built by clang apart from them.
# make test replays each harness's seed corpus (tests/fuzz/corpus/NAME)
# and fuzzes it briefly from a fixed seed (tools/fuzz.sh); make fuzz runs
# each for FUZZ_RUNS executions.
FUZZ_CC := clang
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_FLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer \
	-I. -Iinclude -Iguests/include $(WARN) -DBULKHEAD_HOST
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRC))
FUZZ_OBJ := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(UNIT_PURE_SRC)) \
	$(FUZZ_BUILD)/obj/gen/acpi_dsdt_aml.o
FUZZ_RUNS ?= 10000000

$(FUZZ_BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/obj/gen/acpi_dsdt_aml.o: $(ACPI_DSDT_C) | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(HOST_LDLIBS)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)
all: $(FUZZ_BIN)
fuzz: $(FUZZ_BIN)
	FUZZ_RUNS=$(FUZZ_RUNS) tools/fuzz.sh $(BUILD) full

-include $(FUZZ_OBJ:.o=.d)
