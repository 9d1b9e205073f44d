# Compiler flags shared by the parts of the build. Three worlds:
#   core:   the hypervisor (freestanding, position independent, no SSE/AVX)
#   loader: the UEFI application (GNU-EFI, position independent)
#   host:   unit tests and the config checker (sanitizers, system libfdt)
CC ?= gcc
WARN := -Wall -Wextra -Werror
SYSROOT := $(BUILD)/sysroot

FREESTANDING := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector \
	-mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fno-common -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(SYSROOT)/include -I. -Iinclude -Iguests/include $(WARN)

CORE_CFLAGS := $(FREESTANDING) -fpie -fvisibility=hidden -DBULKHEAD_CORE
LOADER_CFLAGS := $(FREESTANDING) -fpic -fshort-wchar -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI -I/usr/include/efi -I/usr/include/efi/x86_64 \
	-DBULKHEAD_LOADER

HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all -I. -Iinclude \
	-Iguests/include $(WARN) -DBULKHEAD_HOST
HOST_LDLIBS := -lfdt
