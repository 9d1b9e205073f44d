# Host tools. bulkhead-check validates a configuration (.dts or .dtb) with
# the loader's own parser and, given --root, the kernel images it names.
# CONFIG_SRC lists the parser's files: the loader and the unit tests link
# the same set.
CONFIG_SRC := $(wildcard lib/config/*.c)
CHECKER := $(BUILD)/tools/bulkhead-check
TOOLS := $(CHECKER)
CHECKER_SRC := tools/bulkhead-check.c $(CONFIG_SRC) lib/elf.c lib/format.c \
	lib/linux_boot.c lib/image_check.c lib/multiboot.c lib/multiboot_info.c lib/multiboot_modules.c
CHECKER_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(CHECKER_SRC))

$(CHECKER): $(CHECKER_OBJ) | deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $(CHECKER_OBJ) $(HOST_LDLIBS)

-include $(CHECKER_OBJ:.o=.d)
