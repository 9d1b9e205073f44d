/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the MMIO instruction decoder (lib/x86_decode.c): Linux's own
 * APIC and IOAPIC accessors, a table of encodings assembled by GNU as at
 * development time (lengths and operands in 16-, 32- and 64-bit code, every
 * addressing form), truncation at every byte, prefix and REX rules, refused
 * forms, the 15-byte limit and random bytes under ASan.
 */
#include <bulkhead/x86_decode.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_x86_decode")

#define LOAD  X86_MMIO_LOAD
#define STORE X86_MMIO_STORE
#define STIMM X86_MMIO_STORE_IMMEDIATE
#define XCHG  X86_MMIO_EXCHANGE
#define HIGH  1u
#define ZX    2u
#define SX    4u

struct vector {
	const char *text; /* the source line given to GNU as */
	unsigned bits;
	size_t length;
	const char *bytes;
	enum x86_mmio_kind kind;
	uint8_t size;
	uint8_t reg;
	unsigned flags;
	uint8_t load_size;
	uint64_t immediate;
};

/* Generated with `as` and objcopy from the text of each line. */
static const struct vector vectors[] = {
    {"mov %eax,(%rax)", 64, 2, "\x89\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%rsp)", 64, 3, "\x89\x04\x24", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%rbp)", 64, 3, "\x89\x45\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%r12)", 64, 4, "\x41\x89\x04\x24", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%r13)", 64, 4, "\x41\x89\x45\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x10(%rdi)", 64, 3, "\x89\x47\x10", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x380(%rax)", 64, 6, "\x89\x80\x80\x03\x00\x00", STORE, 4, 0, 0,
     4, 0x0ull},
    {"mov %eax,-8(%rbp)", 64, 3, "\x89\x45\xf8", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%rax,%rbx,4)", 64, 3, "\x89\x04\x98", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,0x10(%rsp,%rcx,8)", 64, 4, "\x89\x44\xcc\x10", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,0x12345678(,%rsi,2)", 64, 7, "\x89\x04\x75\x78\x56\x34\x12",
     STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0xffffffffff5f00b0", 64, 7, "\x89\x04\x25\xb0\x00\x5f\xff",
     STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x10(%rip)", 64, 6, "\x89\x05\x10\x00\x00\x00", STORE, 4, 0, 0,
     4, 0x0ull},
    {"mov %eax,(%eax)", 64, 3, "\x67\x89\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x10(%r8d,%r9d)", 64, 6, "\x67\x43\x89\x44\x08\x10", STORE, 4, 0,
     0, 4, 0x0ull},
    {"mov %eax,%fs:0x28", 64, 8, "\x64\x89\x04\x25\x28\x00\x00\x00", STORE, 4,
     0, 0, 4, 0x0ull},
    {"mov %eax,%gs:(%rax)", 64, 3, "\x65\x89\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,-0x80000000(%r11,%r10,1)", 64, 8,
     "\x43\x89\x84\x13\x00\x00\x00\x80", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x7f(%r13,%r14,8)", 64, 5, "\x43\x89\x44\xf5\x7f", STORE, 4, 0,
     0, 4, 0x0ull},
    {"mov %eax,%es:0x100(%edx)", 64, 8, "\x26\x67\x89\x82\x00\x01\x00\x00",
     STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(,%r15,1)", 64, 8, "\x42\x89\x04\x3d\x00\x00\x00\x00", STORE, 4,
     0, 0, 4, 0x0ull},
    {"mov %rdx,(%rsp)", 64, 4, "\x48\x89\x14\x24", STORE, 8, 2, 0, 8, 0x0ull},
    {"mov %rdx,(%rax,%rbx,4)", 64, 4, "\x48\x89\x14\x98", STORE, 8, 2, 0, 8,
     0x0ull},
    {"mov %rdx,0x10(%r8d,%r9d)", 64, 6, "\x67\x4b\x89\x54\x08\x10", STORE, 8, 2,
     0, 8, 0x0ull},
    {"mov %bx,(%rbp)", 64, 4, "\x66\x89\x5d\x00", STORE, 2, 3, 0, 2, 0x0ull},
    {"mov %bx,0x10(%rsp,%rcx,8)", 64, 5, "\x66\x89\x5c\xcc\x10", STORE, 2, 3, 0,
     2, 0x0ull},
    {"mov %bx,%fs:0x28", 64, 9, "\x64\x66\x89\x1c\x25\x28\x00\x00\x00", STORE,
     2, 3, 0, 2, 0x0ull},
    {"mov %cl,(%rax)", 64, 2, "\x88\x08", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,(%rsp)", 64, 3, "\x88\x0c\x24", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,(%rbp)", 64, 3, "\x88\x4d\x00", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,(%r12)", 64, 4, "\x41\x88\x0c\x24", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,(%r13)", 64, 4, "\x41\x88\x4d\x00", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,0x10(%rdi)", 64, 3, "\x88\x4f\x10", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,0x380(%rax)", 64, 6, "\x88\x88\x80\x03\x00\x00", STORE, 1, 1, 0,
     1, 0x0ull},
    {"mov %cl,-8(%rbp)", 64, 3, "\x88\x4d\xf8", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,(%rax,%rbx,4)", 64, 3, "\x88\x0c\x98", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,0x10(%rsp,%rcx,8)", 64, 4, "\x88\x4c\xcc\x10", STORE, 1, 1, 0, 1,
     0x0ull},
    {"mov %cl,0x12345678(,%rsi,2)", 64, 7, "\x88\x0c\x75\x78\x56\x34\x12",
     STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,0xffffffffff5f00b0", 64, 7, "\x88\x0c\x25\xb0\x00\x5f\xff", STORE,
     1, 1, 0, 1, 0x0ull},
    {"mov %cl,0x10(%rip)", 64, 6, "\x88\x0d\x10\x00\x00\x00", STORE, 1, 1, 0, 1,
     0x0ull},
    {"mov %cl,(%eax)", 64, 3, "\x67\x88\x08", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,0x10(%r8d,%r9d)", 64, 6, "\x67\x43\x88\x4c\x08\x10", STORE, 1, 1,
     0, 1, 0x0ull},
    {"mov %cl,%fs:0x28", 64, 8, "\x64\x88\x0c\x25\x28\x00\x00\x00", STORE, 1, 1,
     0, 1, 0x0ull},
    {"mov %cl,%gs:(%rax)", 64, 3, "\x65\x88\x08", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,-0x80000000(%r11,%r10,1)", 64, 8,
     "\x43\x88\x8c\x13\x00\x00\x00\x80", STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,0x7f(%r13,%r14,8)", 64, 5, "\x43\x88\x4c\xf5\x7f", STORE, 1, 1, 0,
     1, 0x0ull},
    {"mov %cl,%es:0x100(%edx)", 64, 8, "\x26\x67\x88\x8a\x00\x01\x00\x00",
     STORE, 1, 1, 0, 1, 0x0ull},
    {"mov %cl,(,%r15,1)", 64, 8, "\x42\x88\x0c\x3d\x00\x00\x00\x00", STORE, 1,
     1, 0, 1, 0x0ull},
    {"mov %ah,0xffffffffff5f00b0", 64, 7, "\x88\x24\x25\xb0\x00\x5f\xff", STORE,
     1, 0, HIGH, 1, 0x0ull},
    {"mov %bh,0x10(%rdi)", 64, 3, "\x88\x7f\x10", STORE, 1, 3, HIGH, 1, 0x0ull},
    {"mov %bh,0x10(%rip)", 64, 6, "\x88\x3d\x10\x00\x00\x00", STORE, 1, 3, HIGH,
     1, 0x0ull},
    {"mov %sil,0x380(%rax)", 64, 7, "\x40\x88\xb0\x80\x03\x00\x00", STORE, 1, 6,
     0, 1, 0x0ull},
    {"mov %sil,(%eax)", 64, 4, "\x67\x40\x88\x30", STORE, 1, 6, 0, 1, 0x0ull},
    {"mov %sil,%es:0x100(%edx)", 64, 9, "\x26\x67\x40\x88\xb2\x00\x01\x00\x00",
     STORE, 1, 6, 0, 1, 0x0ull},
    {"mov %spl,-8(%rbp)", 64, 4, "\x40\x88\x65\xf8", STORE, 1, 4, 0, 1, 0x0ull},
    {"mov %spl,0x10(%r8d,%r9d)", 64, 6, "\x67\x43\x88\x64\x08\x10", STORE, 1, 4,
     0, 1, 0x0ull},
    {"mov %spl,(,%r15,1)", 64, 8, "\x42\x88\x24\x3d\x00\x00\x00\x00", STORE, 1,
     4, 0, 1, 0x0ull},
    {"mov %r9b,(%rax)", 64, 3, "\x44\x88\x08", STORE, 1, 9, 0, 1, 0x0ull},
    {"mov %r9b,(%rax,%rbx,4)", 64, 4, "\x44\x88\x0c\x98", STORE, 1, 9, 0, 1,
     0x0ull},
    {"mov %r9b,%fs:0x28", 64, 9, "\x64\x44\x88\x0c\x25\x28\x00\x00\x00", STORE,
     1, 9, 0, 1, 0x0ull},
    {"mov %r15,(%rsp)", 64, 4, "\x4c\x89\x3c\x24", STORE, 8, 15, 0, 8, 0x0ull},
    {"mov %r15,0x10(%rsp,%rcx,8)", 64, 5, "\x4c\x89\x7c\xcc\x10", STORE, 8, 15,
     0, 8, 0x0ull},
    {"mov %r15,%gs:(%rax)", 64, 4, "\x65\x4c\x89\x38", STORE, 8, 15, 0, 8,
     0x0ull},
    {"mov %r12w,(%rbp)", 64, 5, "\x66\x44\x89\x65\x00", STORE, 2, 12, 0, 2,
     0x0ull},
    {"mov %r12w,0x12345678(,%rsi,2)", 64, 9,
     "\x66\x44\x89\x24\x75\x78\x56\x34\x12", STORE, 2, 12, 0, 2, 0x0ull},
    {"mov %r12w,-0x80000000(%r11,%r10,1)", 64, 9,
     "\x66\x47\x89\xa4\x13\x00\x00\x00\x80", STORE, 2, 12, 0, 2, 0x0ull},
    {"mov (%r12),%ecx", 64, 4, "\x41\x8b\x0c\x24", LOAD, 4, 1, 0, 4, 0x0ull},
    {"mov 0xffffffffff5f00b0,%ecx", 64, 7, "\x8b\x0c\x25\xb0\x00\x5f\xff", LOAD,
     4, 1, 0, 4, 0x0ull},
    {"mov 0x7f(%r13,%r14,8),%ecx", 64, 5, "\x43\x8b\x4c\xf5\x7f", LOAD, 4, 1, 0,
     4, 0x0ull},
    {"mov (%r13),%r10d", 64, 4, "\x45\x8b\x55\x00", LOAD, 4, 10, 0, 4, 0x0ull},
    {"mov 0x10(%rip),%r10d", 64, 7, "\x44\x8b\x15\x10\x00\x00\x00", LOAD, 4, 10,
     0, 4, 0x0ull},
    {"mov %es:0x100(%edx),%r10d", 64, 9, "\x26\x67\x44\x8b\x92\x00\x01\x00\x00",
     LOAD, 4, 10, 0, 4, 0x0ull},
    {"mov 0x10(%rdi),%rsi", 64, 4, "\x48\x8b\x77\x10", LOAD, 8, 6, 0, 8,
     0x0ull},
    {"mov (%eax),%rsi", 64, 4, "\x67\x48\x8b\x30", LOAD, 8, 6, 0, 8, 0x0ull},
    {"mov (,%r15,1),%rsi", 64, 8, "\x4a\x8b\x34\x3d\x00\x00\x00\x00", LOAD, 8,
     6, 0, 8, 0x0ull},
    {"mov (%rax),%dh", 64, 2, "\x8a\x30", LOAD, 1, 2, HIGH, 1, 0x0ull},
    {"mov 0x380(%rax),%dh", 64, 6, "\x8a\xb0\x80\x03\x00\x00", LOAD, 1, 2, HIGH,
     1, 0x0ull},
    {"mov (%rsp),%dil", 64, 4, "\x40\x8a\x3c\x24", LOAD, 1, 7, 0, 1, 0x0ull},
    {"mov -8(%rbp),%dil", 64, 4, "\x40\x8a\x7d\xf8", LOAD, 1, 7, 0, 1, 0x0ull},
    {"mov %fs:0x28,%dil", 64, 9, "\x64\x40\x8a\x3c\x25\x28\x00\x00\x00", LOAD,
     1, 7, 0, 1, 0x0ull},
    {"mov (%rbp),%di", 64, 4, "\x66\x8b\x7d\x00", LOAD, 2, 7, 0, 2, 0x0ull},
    {"mov (%rax,%rbx,4),%di", 64, 4, "\x66\x8b\x3c\x98", LOAD, 2, 7, 0, 2,
     0x0ull},
    {"mov %gs:(%rax),%di", 64, 4, "\x65\x66\x8b\x38", LOAD, 2, 7, 0, 2, 0x0ull},
    {"movb $0x9a,(%r12)", 64, 5, "\x41\xc6\x04\x24\x9a", STIMM, 1, 0, 0, 1,
     0x9aull},
    {"movb $0x9a,0x10(%rsp,%rcx,8)", 64, 5, "\xc6\x44\xcc\x10\x9a", STIMM, 1, 0,
     0, 1, 0x9aull},
    {"movb $0x9a,-0x80000000(%r11,%r10,1)", 64, 9,
     "\x43\xc6\x84\x13\x00\x00\x00\x80\x9a", STIMM, 1, 0, 0, 1, 0x9aull},
    {"movw $0xbeef,(%r13)", 64, 7, "\x66\x41\xc7\x45\x00\xef\xbe", STIMM, 2, 0,
     0, 2, 0xbeefull},
    {"movw $0xbeef,0x12345678(,%rsi,2)", 64, 10,
     "\x66\xc7\x04\x75\x78\x56\x34\x12\xef\xbe", STIMM, 2, 0, 0, 2, 0xbeefull},
    {"movw $0xbeef,0x7f(%r13,%r14,8)", 64, 8,
     "\x66\x43\xc7\x44\xf5\x7f\xef\xbe", STIMM, 2, 0, 0, 2, 0xbeefull},
    {"movl $0x87654321,0x10(%rdi)", 64, 7, "\xc7\x47\x10\x21\x43\x65\x87",
     STIMM, 4, 0, 0, 4, 0x87654321ull},
    {"movl $0x87654321,0xffffffffff5f00b0", 64, 11,
     "\xc7\x04\x25\xb0\x00\x5f\xff\x21\x43\x65\x87", STIMM, 4, 0, 0, 4,
     0x87654321ull},
    {"movl $0x87654321,%es:0x100(%edx)", 64, 12,
     "\x26\x67\xc7\x82\x00\x01\x00\x00\x21\x43\x65\x87", STIMM, 4, 0, 0, 4,
     0x87654321ull},
    {"movq $-2,0x380(%rax)", 64, 11,
     "\x48\xc7\x80\x80\x03\x00\x00\xfe\xff\xff\xff", STIMM, 8, 0, 0, 8,
     0xfffffffffffffffeull},
    {"movq $-2,0x10(%rip)", 64, 11,
     "\x48\xc7\x05\x10\x00\x00\x00\xfe\xff\xff\xff", STIMM, 8, 0, 0, 8,
     0xfffffffffffffffeull},
    {"movq $-2,(,%r15,1)", 64, 12,
     "\x4a\xc7\x04\x3d\x00\x00\x00\x00\xfe\xff\xff\xff", STIMM, 8, 0, 0, 8,
     0xfffffffffffffffeull},
    {"movq $0x7fffffff,(%rax)", 64, 7, "\x48\xc7\x00\xff\xff\xff\x7f", STIMM, 8,
     0, 0, 8, 0x7fffffffull},
    {"movq $0x7fffffff,-8(%rbp)", 64, 8, "\x48\xc7\x45\xf8\xff\xff\xff\x7f",
     STIMM, 8, 0, 0, 8, 0x7fffffffull},
    {"movq $0x7fffffff,(%eax)", 64, 8, "\x67\x48\xc7\x00\xff\xff\xff\x7f",
     STIMM, 8, 0, 0, 8, 0x7fffffffull},
    {"movzbl (%rsp),%eax", 64, 4, "\x0f\xb6\x04\x24", LOAD, 1, 0, ZX, 4,
     0x0ull},
    {"movzbl (%rax,%rbx,4),%eax", 64, 4, "\x0f\xb6\x04\x98", LOAD, 1, 0, ZX, 4,
     0x0ull},
    {"movzbl 0x10(%r8d,%r9d),%eax", 64, 7, "\x67\x43\x0f\xb6\x44\x08\x10", LOAD,
     1, 0, ZX, 4, 0x0ull},
    {"movzwl (%rbp),%edx", 64, 4, "\x0f\xb7\x55\x00", LOAD, 2, 2, ZX, 4,
     0x0ull},
    {"movzwl 0x10(%rsp,%rcx,8),%edx", 64, 5, "\x0f\xb7\x54\xcc\x10", LOAD, 2, 2,
     ZX, 4, 0x0ull},
    {"movzwl %fs:0x28,%edx", 64, 9, "\x64\x0f\xb7\x14\x25\x28\x00\x00\x00",
     LOAD, 2, 2, ZX, 4, 0x0ull},
    {"movzbq (%r12),%r11", 64, 5, "\x4d\x0f\xb6\x1c\x24", LOAD, 1, 11, ZX, 8,
     0x0ull},
    {"movzbq 0x12345678(,%rsi,2),%r11", 64, 9,
     "\x4c\x0f\xb6\x1c\x75\x78\x56\x34\x12", LOAD, 1, 11, ZX, 8, 0x0ull},
    {"movzbq %gs:(%rax),%r11", 64, 5, "\x65\x4c\x0f\xb6\x18", LOAD, 1, 11, ZX,
     8, 0x0ull},
    {"movzbw (%r13),%ax", 64, 6, "\x66\x41\x0f\xb6\x45\x00", LOAD, 1, 0, ZX, 2,
     0x0ull},
    {"movzbw 0xffffffffff5f00b0,%ax", 64, 9,
     "\x66\x0f\xb6\x04\x25\xb0\x00\x5f\xff", LOAD, 1, 0, ZX, 2, 0x0ull},
    {"movzbw -0x80000000(%r11,%r10,1),%ax", 64, 10,
     "\x66\x43\x0f\xb6\x84\x13\x00\x00\x00\x80", LOAD, 1, 0, ZX, 2, 0x0ull},
    {"movzwq 0x10(%rdi),%rbp", 64, 5, "\x48\x0f\xb7\x6f\x10", LOAD, 2, 5, ZX, 8,
     0x0ull},
    {"movzwq 0x10(%rip),%rbp", 64, 8, "\x48\x0f\xb7\x2d\x10\x00\x00\x00", LOAD,
     2, 5, ZX, 8, 0x0ull},
    {"movzwq 0x7f(%r13,%r14,8),%rbp", 64, 6, "\x4b\x0f\xb7\x6c\xf5\x7f", LOAD,
     2, 5, ZX, 8, 0x0ull},
    {"movsbl 0x380(%rax),%esp", 64, 7, "\x0f\xbe\xa0\x80\x03\x00\x00", LOAD, 1,
     4, SX, 4, 0x0ull},
    {"movsbl (%eax),%esp", 64, 4, "\x67\x0f\xbe\x20", LOAD, 1, 4, SX, 4,
     0x0ull},
    {"movsbl %es:0x100(%edx),%esp", 64, 9,
     "\x26\x67\x0f\xbe\xa2\x00\x01\x00\x00", LOAD, 1, 4, SX, 4, 0x0ull},
    {"movswq -8(%rbp),%r8", 64, 5, "\x4c\x0f\xbf\x45\xf8", LOAD, 2, 8, SX, 8,
     0x0ull},
    {"movswq 0x10(%r8d,%r9d),%r8", 64, 7, "\x67\x4f\x0f\xbf\x44\x08\x10", LOAD,
     2, 8, SX, 8, 0x0ull},
    {"movswq (,%r15,1),%r8", 64, 9, "\x4e\x0f\xbf\x04\x3d\x00\x00\x00\x00",
     LOAD, 2, 8, SX, 8, 0x0ull},
    {"movsbw (%rax),%r13w", 64, 5, "\x66\x44\x0f\xbe\x28", LOAD, 1, 13, SX, 2,
     0x0ull},
    {"movsbw (%rax,%rbx,4),%r13w", 64, 6, "\x66\x44\x0f\xbe\x2c\x98", LOAD, 1,
     13, SX, 2, 0x0ull},
    {"movsbw %fs:0x28,%r13w", 64, 11,
     "\x64\x66\x44\x0f\xbe\x2c\x25\x28\x00\x00\x00", LOAD, 1, 13, SX, 2,
     0x0ull},
    {"xchg %eax,(%rsp)", 64, 3, "\x87\x04\x24", XCHG, 4, 0, 0, 4, 0x0ull},
    {"xchg %eax,0x10(%rsp,%rcx,8)", 64, 4, "\x87\x44\xcc\x10", XCHG, 4, 0, 0, 4,
     0x0ull},
    {"xchg %eax,%gs:(%rax)", 64, 3, "\x65\x87\x00", XCHG, 4, 0, 0, 4, 0x0ull},
    {"xchg %r14,(%rbp)", 64, 4, "\x4c\x87\x75\x00", XCHG, 8, 14, 0, 8, 0x0ull},
    {"xchg %r14,0x12345678(,%rsi,2)", 64, 8, "\x4c\x87\x34\x75\x78\x56\x34\x12",
     XCHG, 8, 14, 0, 8, 0x0ull},
    {"xchg %r14,-0x80000000(%r11,%r10,1)", 64, 8,
     "\x4f\x87\xb4\x13\x00\x00\x00\x80", XCHG, 8, 14, 0, 8, 0x0ull},
    {"xchg %ch,0xffffffffff5f00b0", 64, 7, "\x86\x2c\x25\xb0\x00\x5f\xff", XCHG,
     1, 1, HIGH, 1, 0x0ull},
    {"xchg %dl,(%r13)", 64, 4, "\x41\x86\x55\x00", XCHG, 1, 2, 0, 1, 0x0ull},
    {"xchg %dl,0x10(%rip)", 64, 6, "\x86\x15\x10\x00\x00\x00", XCHG, 1, 2, 0, 1,
     0x0ull},
    {"xchg %dl,%es:0x100(%edx)", 64, 8, "\x26\x67\x86\x92\x00\x01\x00\x00",
     XCHG, 1, 2, 0, 1, 0x0ull},
    {"lock xchg %ebx,0x10(%rdi)", 64, 4, "\xf0\x87\x5f\x10", XCHG, 4, 3, 0, 4,
     0x0ull},
    {"lock xchg %ebx,(%eax)", 64, 4, "\x67\xf0\x87\x18", XCHG, 4, 3, 0, 4,
     0x0ull},
    {"lock xchg %ebx,(,%r15,1)", 64, 9, "\xf0\x42\x87\x1c\x3d\x00\x00\x00\x00",
     XCHG, 4, 3, 0, 4, 0x0ull},
    {"mov %eax,(%eax)", 32, 2, "\x89\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%esp)", 32, 3, "\x89\x04\x24", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%ebp)", 32, 3, "\x89\x45\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x12345678", 32, 5, "\xa3\x78\x56\x34\x12", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,0xfee000b0", 32, 5, "\xa3\xb0\x00\xe0\xfe", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,0x10(%edi)", 32, 3, "\x89\x47\x10", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x380(%eax)", 32, 6, "\x89\x80\x80\x03\x00\x00", STORE, 4, 0, 0,
     4, 0x0ull},
    {"mov %eax,(%eax,%ebx,4)", 32, 3, "\x89\x04\x98", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,0x10(%esp,%ecx,8)", 32, 4, "\x89\x44\xcc\x10", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,0x1234(,%esi,2)", 32, 7, "\x89\x04\x75\x34\x12\x00\x00", STORE,
     4, 0, 0, 4, 0x0ull},
    {"mov %eax,(%bx,%si)", 32, 3, "\x67\x89\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x1234", 32, 5, "\xa3\x34\x12\x00\x00", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,(%bp)", 32, 4, "\x67\x89\x46\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x10(%bx)", 32, 4, "\x67\x89\x47\x10", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,-0x200(%di)", 32, 5, "\x67\x89\x85\x00\xfe", STORE, 4, 0, 0, 4,
     0x0ull},
    {"mov %eax,%ss:(%ebp)", 32, 3, "\x89\x45\x00", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,%fs:0x80(%esp)", 32, 8, "\x64\x89\x84\x24\x80\x00\x00\x00",
     STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %dx,(%esp)", 32, 4, "\x66\x89\x14\x24", STORE, 2, 2, 0, 2, 0x0ull},
    {"mov %dx,0x10(%esp,%ecx,8)", 32, 5, "\x66\x89\x54\xcc\x10", STORE, 2, 2, 0,
     2, 0x0ull},
    {"mov %dx,-0x200(%di)", 32, 6, "\x67\x66\x89\x95\x00\xfe", STORE, 2, 2, 0,
     2, 0x0ull},
    {"mov %bh,(%ebp)", 32, 3, "\x88\x7d\x00", STORE, 1, 3, HIGH, 1, 0x0ull},
    {"mov %bh,0x1234(,%esi,2)", 32, 7, "\x88\x3c\x75\x34\x12\x00\x00", STORE, 1,
     3, HIGH, 1, 0x0ull},
    {"mov %bh,%ss:(%ebp)", 32, 3, "\x88\x7d\x00", STORE, 1, 3, HIGH, 1, 0x0ull},
    {"mov %bl,(%eax)", 32, 2, "\x88\x18", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,(%esp)", 32, 3, "\x88\x1c\x24", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,(%ebp)", 32, 3, "\x88\x5d\x00", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,0x12345678", 32, 6, "\x88\x1d\x78\x56\x34\x12", STORE, 1, 3, 0, 1,
     0x0ull},
    {"mov %bl,0xfee000b0", 32, 6, "\x88\x1d\xb0\x00\xe0\xfe", STORE, 1, 3, 0, 1,
     0x0ull},
    {"mov %bl,0x10(%edi)", 32, 3, "\x88\x5f\x10", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,0x380(%eax)", 32, 6, "\x88\x98\x80\x03\x00\x00", STORE, 1, 3, 0,
     1, 0x0ull},
    {"mov %bl,(%eax,%ebx,4)", 32, 3, "\x88\x1c\x98", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,0x10(%esp,%ecx,8)", 32, 4, "\x88\x5c\xcc\x10", STORE, 1, 3, 0, 1,
     0x0ull},
    {"mov %bl,0x1234(,%esi,2)", 32, 7, "\x88\x1c\x75\x34\x12\x00\x00", STORE, 1,
     3, 0, 1, 0x0ull},
    {"mov %bl,(%bx,%si)", 32, 3, "\x67\x88\x18", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,0x1234", 32, 6, "\x88\x1d\x34\x12\x00\x00", STORE, 1, 3, 0, 1,
     0x0ull},
    {"mov %bl,(%bp)", 32, 4, "\x67\x88\x5e\x00", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,0x10(%bx)", 32, 4, "\x67\x88\x5f\x10", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,-0x200(%di)", 32, 5, "\x67\x88\x9d\x00\xfe", STORE, 1, 3, 0, 1,
     0x0ull},
    {"mov %bl,%ss:(%ebp)", 32, 3, "\x88\x5d\x00", STORE, 1, 3, 0, 1, 0x0ull},
    {"mov %bl,%fs:0x80(%esp)", 32, 8, "\x64\x88\x9c\x24\x80\x00\x00\x00", STORE,
     1, 3, 0, 1, 0x0ull},
    {"mov (%eax),%esi", 32, 2, "\x8b\x30", LOAD, 4, 6, 0, 4, 0x0ull},
    {"mov 0xfee000b0,%esi", 32, 6, "\x8b\x35\xb0\x00\xe0\xfe", LOAD, 4, 6, 0, 4,
     0x0ull},
    {"mov 0x1234,%esi", 32, 6, "\x8b\x35\x34\x12\x00\x00", LOAD, 4, 6, 0, 4,
     0x0ull},
    {"mov (%esp),%al", 32, 3, "\x8a\x04\x24", LOAD, 1, 0, 0, 1, 0x0ull},
    {"mov 0x10(%edi),%al", 32, 3, "\x8a\x47\x10", LOAD, 1, 0, 0, 1, 0x0ull},
    {"mov (%bp),%al", 32, 4, "\x67\x8a\x46\x00", LOAD, 1, 0, 0, 1, 0x0ull},
    {"mov (%ebp),%ch", 32, 3, "\x8a\x6d\x00", LOAD, 1, 1, HIGH, 1, 0x0ull},
    {"mov 0x380(%eax),%ch", 32, 6, "\x8a\xa8\x80\x03\x00\x00", LOAD, 1, 1, HIGH,
     1, 0x0ull},
    {"mov 0x10(%bx),%ch", 32, 4, "\x67\x8a\x6f\x10", LOAD, 1, 1, HIGH, 1,
     0x0ull},
    {"movb $0x5,0x12345678", 32, 7, "\xc6\x05\x78\x56\x34\x12\x05", STIMM, 1, 0,
     0, 1, 0x5ull},
    {"movb $0x5,(%eax,%ebx,4)", 32, 4, "\xc6\x04\x98\x05", STIMM, 1, 0, 0, 1,
     0x5ull},
    {"movb $0x5,-0x200(%di)", 32, 6, "\x67\xc6\x85\x00\xfe\x05", STIMM, 1, 0, 0,
     1, 0x5ull},
    {"movw $0x1234,0xfee000b0", 32, 9, "\x66\xc7\x05\xb0\x00\xe0\xfe\x34\x12",
     STIMM, 2, 0, 0, 2, 0x1234ull},
    {"movw $0x1234,0x10(%esp,%ecx,8)", 32, 7, "\x66\xc7\x44\xcc\x10\x34\x12",
     STIMM, 2, 0, 0, 2, 0x1234ull},
    {"movw $0x1234,%ss:(%ebp)", 32, 6, "\x66\xc7\x45\x00\x34\x12", STIMM, 2, 0,
     0, 2, 0x1234ull},
    {"movl $0xfee00000,0x10(%edi)", 32, 7, "\xc7\x47\x10\x00\x00\xe0\xfe",
     STIMM, 4, 0, 0, 4, 0xfee00000ull},
    {"movl $0xfee00000,0x1234(,%esi,2)", 32, 11,
     "\xc7\x04\x75\x34\x12\x00\x00\x00\x00\xe0\xfe", STIMM, 4, 0, 0, 4,
     0xfee00000ull},
    {"movl $0xfee00000,%fs:0x80(%esp)", 32, 12,
     "\x64\xc7\x84\x24\x80\x00\x00\x00\x00\x00\xe0\xfe", STIMM, 4, 0, 0, 4,
     0xfee00000ull},
    {"movzbl (%eax),%edi", 32, 3, "\x0f\xb6\x38", LOAD, 1, 7, ZX, 4, 0x0ull},
    {"movzbl 0x380(%eax),%edi", 32, 7, "\x0f\xb6\xb8\x80\x03\x00\x00", LOAD, 1,
     7, ZX, 4, 0x0ull},
    {"movzbl (%bx,%si),%edi", 32, 4, "\x67\x0f\xb6\x38", LOAD, 1, 7, ZX, 4,
     0x0ull},
    {"movzwl (%esp),%ecx", 32, 4, "\x0f\xb7\x0c\x24", LOAD, 2, 1, ZX, 4,
     0x0ull},
    {"movzwl (%eax,%ebx,4),%ecx", 32, 4, "\x0f\xb7\x0c\x98", LOAD, 2, 1, ZX, 4,
     0x0ull},
    {"movzwl 0x1234,%ecx", 32, 7, "\x0f\xb7\x0d\x34\x12\x00\x00", LOAD, 2, 1,
     ZX, 4, 0x0ull},
    {"movswl (%ebp),%ebx", 32, 4, "\x0f\xbf\x5d\x00", LOAD, 2, 3, SX, 4,
     0x0ull},
    {"movswl 0x10(%esp,%ecx,8),%ebx", 32, 5, "\x0f\xbf\x5c\xcc\x10", LOAD, 2, 3,
     SX, 4, 0x0ull},
    {"movswl (%bp),%ebx", 32, 5, "\x67\x0f\xbf\x5e\x00", LOAD, 2, 3, SX, 4,
     0x0ull},
    {"movsbw 0x12345678,%dx", 32, 8, "\x66\x0f\xbe\x15\x78\x56\x34\x12", LOAD,
     1, 2, SX, 2, 0x0ull},
    {"movsbw 0x1234(,%esi,2),%dx", 32, 9,
     "\x66\x0f\xbe\x14\x75\x34\x12\x00\x00", LOAD, 1, 2, SX, 2, 0x0ull},
    {"movsbw 0x10(%bx),%dx", 32, 6, "\x67\x66\x0f\xbe\x57\x10", LOAD, 1, 2, SX,
     2, 0x0ull},
    {"xchg 0xfee000b0,%ebp", 32, 6, "\x87\x2d\xb0\x00\xe0\xfe", XCHG, 4, 5, 0,
     4, 0x0ull},
    {"xchg (%bx,%si),%ebp", 32, 3, "\x67\x87\x28", XCHG, 4, 5, 0, 4, 0x0ull},
    {"xchg -0x200(%di),%ebp", 32, 5, "\x67\x87\xad\x00\xfe", XCHG, 4, 5, 0, 4,
     0x0ull},
    {"xchg %ax,0x10(%edi)", 32, 4, "\x66\x87\x47\x10", XCHG, 2, 0, 0, 2,
     0x0ull},
    {"xchg %ax,0x1234", 32, 7, "\x66\x87\x05\x34\x12\x00\x00", XCHG, 2, 0, 0, 2,
     0x0ull},
    {"xchg %ax,%ss:(%ebp)", 32, 4, "\x66\x87\x45\x00", XCHG, 2, 0, 0, 2,
     0x0ull},
    {"mov %ax,(%bx)", 16, 2, "\x89\x07", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,(%bp,%si)", 16, 2, "\x89\x02", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,(%bx,%di)", 16, 2, "\x89\x01", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,0x10(%bx)", 16, 3, "\x89\x47\x10", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,0x1234(%di)", 16, 4, "\x89\x85\x34\x12", STORE, 2, 0, 0, 2,
     0x0ull},
    {"mov %ax,0x1234", 16, 3, "\xa3\x34\x12", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,(%bp)", 16, 3, "\x89\x46\x00", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,-2(%si)", 16, 3, "\x89\x44\xfe", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,0x7fff(%bx,%si)", 16, 4, "\x89\x80\xff\x7f", STORE, 2, 0, 0, 2,
     0x0ull},
    {"mov %ax,(%eax)", 16, 3, "\x67\x89\x00", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,0x12345678(%ebx,%ecx,4)", 16, 8,
     "\x67\x89\x84\x8b\x78\x56\x34\x12", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,(%esp)", 16, 4, "\x67\x89\x04\x24", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,0x12345678(%edx)", 16, 7, "\x67\x89\x82\x78\x56\x34\x12", STORE,
     2, 0, 0, 2, 0x0ull},
    {"mov %ax,%es:(%di)", 16, 3, "\x26\x89\x05", STORE, 2, 0, 0, 2, 0x0ull},
    {"mov %ax,%cs:0x80(%bp,%di)", 16, 5, "\x2e\x89\x83\x80\x00", STORE, 2, 0, 0,
     2, 0x0ull},
    {"mov %eax,(%bp,%si)", 16, 3, "\x66\x89\x02", STORE, 4, 0, 0, 4, 0x0ull},
    {"mov %eax,0x7fff(%bx,%si)", 16, 5, "\x66\x89\x80\xff\x7f", STORE, 4, 0, 0,
     4, 0x0ull},
    {"mov %eax,%cs:0x80(%bp,%di)", 16, 6, "\x2e\x66\x89\x83\x80\x00", STORE, 4,
     0, 0, 4, 0x0ull},
    {"mov %ah,(%bx)", 16, 2, "\x88\x27", STORE, 1, 0, HIGH, 1, 0x0ull},
    {"mov %ah,(%bx,%di)", 16, 2, "\x88\x21", STORE, 1, 0, HIGH, 1, 0x0ull},
    {"mov %ah,(%eax)", 16, 3, "\x67\x88\x20", STORE, 1, 0, HIGH, 1, 0x0ull},
    {"mov (%bx),%dx", 16, 2, "\x8b\x17", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov (%bp,%si),%dx", 16, 2, "\x8b\x12", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov (%bx,%di),%dx", 16, 2, "\x8b\x11", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov 0x10(%bx),%dx", 16, 3, "\x8b\x57\x10", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov 0x1234(%di),%dx", 16, 4, "\x8b\x95\x34\x12", LOAD, 2, 2, 0, 2,
     0x0ull},
    {"mov 0x1234,%dx", 16, 4, "\x8b\x16\x34\x12", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov (%bp),%dx", 16, 3, "\x8b\x56\x00", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov -2(%si),%dx", 16, 3, "\x8b\x54\xfe", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov 0x7fff(%bx,%si),%dx", 16, 4, "\x8b\x90\xff\x7f", LOAD, 2, 2, 0, 2,
     0x0ull},
    {"mov (%eax),%dx", 16, 3, "\x67\x8b\x10", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov 0x12345678(%ebx,%ecx,4),%dx", 16, 8,
     "\x67\x8b\x94\x8b\x78\x56\x34\x12", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov (%esp),%dx", 16, 4, "\x67\x8b\x14\x24", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov 0x12345678(%edx),%dx", 16, 7, "\x67\x8b\x92\x78\x56\x34\x12", LOAD, 2,
     2, 0, 2, 0x0ull},
    {"mov %es:(%di),%dx", 16, 3, "\x26\x8b\x15", LOAD, 2, 2, 0, 2, 0x0ull},
    {"mov %cs:0x80(%bp,%di),%dx", 16, 5, "\x2e\x8b\x93\x80\x00", LOAD, 2, 2, 0,
     2, 0x0ull},
    {"mov (%bx,%di),%edi", 16, 3, "\x66\x8b\x39", LOAD, 4, 7, 0, 4, 0x0ull},
    {"mov 0x1234(%di),%edi", 16, 5, "\x66\x8b\xbd\x34\x12", LOAD, 4, 7, 0, 4,
     0x0ull},
    {"mov (%esp),%edi", 16, 5, "\x67\x66\x8b\x3c\x24", LOAD, 4, 7, 0, 4,
     0x0ull},
    {"movb $0x77,0x10(%bx)", 16, 4, "\xc6\x47\x10\x77", STIMM, 1, 0, 0, 1,
     0x77ull},
    {"movb $0x77,0x1234", 16, 5, "\xc6\x06\x34\x12\x77", STIMM, 1, 0, 0, 1,
     0x77ull},
    {"movb $0x77,0x12345678(%edx)", 16, 8, "\x67\xc6\x82\x78\x56\x34\x12\x77",
     STIMM, 1, 0, 0, 1, 0x77ull},
    {"movw $0xabcd,0x1234(%di)", 16, 6, "\xc7\x85\x34\x12\xcd\xab", STIMM, 2, 0,
     0, 2, 0xabcdull},
    {"movw $0xabcd,(%bp)", 16, 5, "\xc7\x46\x00\xcd\xab", STIMM, 2, 0, 0, 2,
     0xabcdull},
    {"movw $0xabcd,%es:(%di)", 16, 5, "\x26\xc7\x05\xcd\xab", STIMM, 2, 0, 0, 2,
     0xabcdull},
    {"movl $0x12345678,0x1234", 16, 9, "\x66\xc7\x06\x34\x12\x78\x56\x34\x12",
     STIMM, 4, 0, 0, 4, 0x12345678ull},
    {"movl $0x12345678,-2(%si)", 16, 8, "\x66\xc7\x44\xfe\x78\x56\x34\x12",
     STIMM, 4, 0, 0, 4, 0x12345678ull},
    {"movl $0x12345678,%cs:0x80(%bp,%di)", 16, 10,
     "\x2e\x66\xc7\x83\x80\x00\x78\x56\x34\x12", STIMM, 4, 0, 0, 4,
     0x12345678ull},
    {"movzbw (%bx),%si", 16, 3, "\x0f\xb6\x37", LOAD, 1, 6, ZX, 2, 0x0ull},
    {"movzbw (%bp),%si", 16, 4, "\x0f\xb6\x76\x00", LOAD, 1, 6, ZX, 2, 0x0ull},
    {"movzbw 0x7fff(%bx,%si),%si", 16, 5, "\x0f\xb6\xb0\xff\x7f", LOAD, 1, 6,
     ZX, 2, 0x0ull},
    {"movzwl (%bp,%si),%eax", 16, 4, "\x66\x0f\xb7\x02", LOAD, 2, 0, ZX, 4,
     0x0ull},
    {"movzwl -2(%si),%eax", 16, 5, "\x66\x0f\xb7\x44\xfe", LOAD, 2, 0, ZX, 4,
     0x0ull},
    {"movzwl (%eax),%eax", 16, 5, "\x67\x66\x0f\xb7\x00", LOAD, 2, 0, ZX, 4,
     0x0ull},
    {"movsbl (%bx,%di),%ecx", 16, 4, "\x66\x0f\xbe\x09", LOAD, 1, 1, SX, 4,
     0x0ull},
    {"movsbl 0x7fff(%bx,%si),%ecx", 16, 6, "\x66\x0f\xbe\x88\xff\x7f", LOAD, 1,
     1, SX, 4, 0x0ull},
    {"movsbl 0x12345678(%ebx,%ecx,4),%ecx", 16, 10,
     "\x67\x66\x0f\xbe\x8c\x8b\x78\x56\x34\x12", LOAD, 1, 1, SX, 4, 0x0ull},
    {"xchg %bx,0x10(%bx)", 16, 3, "\x87\x5f\x10", XCHG, 2, 3, 0, 2, 0x0ull},
    {"xchg %bx,(%eax)", 16, 3, "\x67\x87\x18", XCHG, 2, 3, 0, 2, 0x0ull},
    {"xchg %bx,(%esp)", 16, 4, "\x67\x87\x1c\x24", XCHG, 2, 3, 0, 2, 0x0ull},
    {"movabs 0x1122334455667788,%eax", 64, 9,
     "\xa1\x88\x77\x66\x55\x44\x33\x22\x11", LOAD, 4, 0, 0, 4, 0x0ull},
    {"movabs 0x1122334455667788,%al", 64, 9,
     "\xa0\x88\x77\x66\x55\x44\x33\x22\x11", LOAD, 1, 0, 0, 1, 0x0ull},
    {"movabs 0x1122334455667788,%rax", 64, 10,
     "\x48\xa1\x88\x77\x66\x55\x44\x33\x22\x11", LOAD, 8, 0, 0, 8, 0x0ull},
    {"movabs %ax,0x1122334455667788", 64, 10,
     "\x66\xa3\x88\x77\x66\x55\x44\x33\x22\x11", STORE, 2, 0, 0, 2, 0x0ull},
    {"movabs %rax,0xfee00300", 64, 10,
     "\x48\xa3\x00\x03\xe0\xfe\x00\x00\x00\x00", STORE, 8, 0, 0, 8, 0x0ull},
    {"addr32 movabs %eax,0xfee00300", 64, 6, "\x67\xa3\x00\x03\xe0\xfe", STORE,
     4, 0, 0, 4, 0x0ull},
    {"movabs %al,%fs:0x10", 64, 10, "\x64\xa2\x10\x00\x00\x00\x00\x00\x00\x00",
     STORE, 1, 0, 0, 1, 0x0ull},
    {"mov 0xfee00020,%eax", 32, 5, "\xa1\x20\x00\xe0\xfe", LOAD, 4, 0, 0, 4,
     0x0ull},
    {"mov %al,0xfec00000", 32, 5, "\xa2\x00\x00\xc0\xfe", STORE, 1, 0, 0, 1,
     0x0ull},
    {"mov %ax,0xfec00010", 32, 6, "\x66\xa3\x10\x00\xc0\xfe", STORE, 2, 0, 0, 2,
     0x0ull},
    {"addr16 mov 0x1234,%eax", 32, 4, "\x67\xa1\x34\x12", LOAD, 4, 0, 0, 4,
     0x0ull},
    {"mov 0x1234,%ax", 16, 3, "\xa1\x34\x12", LOAD, 2, 0, 0, 2, 0x0ull},
    {"mov %eax,0x1234", 16, 4, "\x66\xa3\x34\x12", STORE, 4, 0, 0, 4, 0x0ull},
    {"addr32 mov 0xfee00020,%eax", 16, 7, "\x67\x66\xa1\x20\x00\xe0\xfe", LOAD,
     4, 0, 0, 4, 0x0ull},
};

#define VECTOR_COUNT (sizeof(vectors) / sizeof(vectors[0]))

/* Decodes from a heap copy of exactly `available` bytes, so ASan sees any
 * read past them. */
static bool decode_exact(const uint8_t *bytes, size_t available, unsigned bits,
			 struct x86_mmio_access *out)
{
	uint8_t *copy = malloc(available ? available : 1);
	bool ok;

	memcpy(copy, bytes, available);
	ok = x86_decode_mmio(copy, available, bits, out);
	free(copy);
	return ok;
}

static bool decode(const char *bytes, size_t length, unsigned bits,
		   struct x86_mmio_access *out)
{
	return decode_exact((const uint8_t *)bytes, length, bits, out);
}

static void check_vector_fields(const struct vector *v,
				const struct x86_mmio_access *a)
{
	if (a->length != v->length || a->kind != v->kind ||
	    a->size != v->size || a->reg != v->reg ||
	    a->high_byte != !!(v->flags & HIGH) ||
	    a->zero_extend != !!(v->flags & ZX) ||
	    a->sign_extend != !!(v->flags & SX) ||
	    a->load_size != v->load_size || a->immediate != v->immediate)
		fprintf(stderr, "mismatch: %s (%u-bit)\n", v->text, v->bits);
	CHECK_EQ(a->length, v->length);
	CHECK_EQ(a->kind, v->kind);
	CHECK_EQ(a->size, v->size);
	CHECK_EQ(a->reg, v->reg);
	CHECK_EQ(a->high_byte, !!(v->flags & HIGH));
	CHECK_EQ(a->zero_extend, !!(v->flags & ZX));
	CHECK_EQ(a->sign_extend, !!(v->flags & SX));
	CHECK_EQ(a->load_size, v->load_size);
	CHECK_EQ(a->immediate, v->immediate);
}

/* Every vector: exact bytes, trailing bytes ignored, every truncation fails. */
static void test_vectors(void)
{
	for (size_t i = 0; i < VECTOR_COUNT; i++) {
		const struct vector *v = &vectors[i];
		uint8_t padded[32];
		struct x86_mmio_access a;
		bool ok;

		ok = decode(v->bytes, v->length, v->bits, &a);
		if (!ok)
			fprintf(stderr, "refused: %s (%u-bit)\n", v->text,
				v->bits);
		CHECK(ok);
		if (ok)
			check_vector_fields(v, &a);

		memset(padded, 0x89, sizeof(padded));
		memcpy(padded, v->bytes, v->length);
		CHECK(decode_exact(padded, sizeof(padded), v->bits, &a));
		CHECK_EQ(a.length, v->length);

		for (size_t cut = 0; cut < v->length; cut++)
			CHECK(!decode(v->bytes, cut, v->bits, &a));
	}
}

/* What Linux 6.1 compiles its APIC and IOAPIC accessors to. */
static void test_linux_accessors(void)
{
	struct x86_mmio_access a;

	/* native_apic_mem_write: mov %eax,0xffffffffff5f00b0 (EOI) */
	CHECK(decode("\x89\x04\x25\xb0\x00\x5f\xff", 7, 64, &a));
	CHECK_EQ(a.kind, STORE);
	CHECK_EQ(a.length, 7);
	CHECK_EQ(a.size, 4);
	CHECK_EQ(a.reg, X86_RAX);
	CHECK(!a.high_byte);

	/* mov %eax,(%rdx) and mov (%rdx),%eax */
	CHECK(decode("\x89\x02", 2, 64, &a));
	CHECK_EQ(a.kind, STORE);
	CHECK_EQ(a.length, 2);
	CHECK_EQ(a.reg, X86_RAX);
	CHECK(decode("\x8b\x02", 2, 64, &a));
	CHECK_EQ(a.kind, LOAD);
	CHECK_EQ(a.length, 2);
	CHECK_EQ(a.size, 4);
	CHECK_EQ(a.load_size, 4);
	CHECK_EQ(a.reg, X86_RAX);

	/* mov %edx,0x380(%rax): the TSC-deadline/ICR-style disp32 form */
	CHECK(decode("\x89\x90\x80\x03\x00\x00", 6, 64, &a));
	CHECK_EQ(a.kind, STORE);
	CHECK_EQ(a.length, 6);
	CHECK_EQ(a.reg, X86_RDX);

	/* io_apic_write: mov %edx,(%rdi); io_apic_read: mov 0x10(%rdi),%eax */
	CHECK(decode("\x89\x17", 2, 64, &a));
	CHECK_EQ(a.kind, STORE);
	CHECK_EQ(a.length, 2);
	CHECK_EQ(a.reg, X86_RDX);
	CHECK(decode("\x8b\x47\x10", 3, 64, &a));
	CHECK_EQ(a.kind, LOAD);
	CHECK_EQ(a.length, 3);
	CHECK_EQ(a.reg, X86_RAX);
	CHECK_EQ(a.size, 4);
}

/* A REX counts only directly before the opcode; REX.R extends reg. */
static void test_rex_rules(void)
{
	struct x86_mmio_access a;

	CHECK(decode("\x48\x66\x89\x00", 4, 64, &a)); /* REX ignored */
	CHECK_EQ(a.size, 2);
	CHECK_EQ(a.length, 4);
	CHECK(decode("\x66\x48\x89\x00", 4, 64, &a)); /* REX.W beats 66 */
	CHECK_EQ(a.size, 8);
	CHECK(decode("\x40\x3e\x88\x20", 4, 64, &a)); /* ignored: AH */
	CHECK(a.high_byte);
	CHECK_EQ(a.reg, X86_RAX);
	CHECK(decode("\x3e\x40\x88\x20", 4, 64, &a)); /* effective: SPL */
	CHECK(!a.high_byte);
	CHECK_EQ(a.reg, X86_RSP);
	CHECK(decode("\x44\x89\x00", 3, 64, &a)); /* REX.R: r8d */
	CHECK_EQ(a.reg, X86_R8);
	CHECK_EQ(a.size, 4);
	CHECK(decode("\x43\x89\x04\x08", 4, 64, &a)); /* REX.X/B: length */
	CHECK_EQ(a.reg, X86_RAX);
	CHECK_EQ(a.length, 4);
	CHECK(decode("\x4c\x41\x89\x00", 4, 64, &a)); /* the last REX */
	CHECK_EQ(a.reg, X86_RAX);
	CHECK_EQ(a.size, 4);
	CHECK(decode("\x4c\x88\x38", 3, 64, &a)); /* REX.R: r15b, not BH */
	CHECK_EQ(a.reg, X86_R15);
	CHECK(!a.high_byte);

	/* Outside 64-bit mode 0x40-0x4f are INC/DEC, not prefixes. */
	CHECK(!decode("\x48\x89\x00", 3, 32, &a));
	CHECK(!decode("\x41\x89\x00", 3, 16, &a));

	/* MOVZX to a low register number is never a high byte. */
	CHECK(decode("\x0f\xb6\x20", 3, 64, &a));
	CHECK_EQ(a.reg, X86_RSP);
	CHECK(!a.high_byte);
	CHECK(a.zero_extend);
}

static void test_immediates(void)
{
	struct x86_mmio_access a;

	/* movq $imm32 sign-extends; movl does not */
	CHECK(decode("\x48\xc7\x00\x00\x00\x00\x80", 7, 64, &a));
	CHECK_EQ(a.kind, STIMM);
	CHECK_EQ(a.size, 8);
	CHECK_EQ(a.immediate, 0xffffffff80000000ull);
	CHECK(decode("\xc7\x00\x00\x00\x00\x80", 6, 64, &a));
	CHECK_EQ(a.size, 4);
	CHECK_EQ(a.immediate, 0x80000000ull);
	/* 66 c7: imm16; in 16-bit code 66 c7 takes an imm32 */
	CHECK(decode("\x66\xc7\x00\xff\xff", 5, 64, &a));
	CHECK_EQ(a.size, 2);
	CHECK_EQ(a.immediate, 0xffff);
	CHECK(decode("\x66\xc7\x07\x78\x56\x34\x12", 7, 16, &a));
	CHECK_EQ(a.size, 4);
	CHECK_EQ(a.immediate, 0x12345678);
	CHECK_EQ(a.length, 7);
	/* An immediate store names no register. */
	CHECK(decode("\xc6\x44\x24\x08\xff", 5, 64, &a));
	CHECK_EQ(a.reg, 0);
	CHECK_EQ(a.immediate, 0xff);
	CHECK_EQ(a.length, 5);
}

static void test_moffs(void)
{
	struct x86_mmio_access a;

	CHECK(decode("\xa1\x00\x03\xe0\xfe\x00\x00\x00\x00", 9, 64, &a));
	CHECK_EQ(a.length, 9);
	CHECK_EQ(a.kind, LOAD);
	CHECK_EQ(a.reg, X86_RAX);
	CHECK(decode("\x67\xa3\x00\x03\xe0\xfe", 6, 64, &a));
	CHECK_EQ(a.length, 6);
	CHECK_EQ(a.kind, STORE);
	CHECK(decode("\x48\xa1\x00\x03\xe0\xfe\x00\x00\x00\x00", 10, 64, &a));
	CHECK_EQ(a.size, 8);
	CHECK(decode("\xa2\x34\x12", 3, 16, &a));
	CHECK_EQ(a.size, 1);
	CHECK_EQ(a.length, 3);
	CHECK(decode("\x67\xa2\x00\x00\xc0\xfe", 6, 16, &a));
	CHECK_EQ(a.length, 6);
	CHECK(!decode("\xa1\x00\x03\xe0\xfe\x00\x00\x00", 8, 64, &a));
}

/* Register operands, other ModRM groups and other opcodes are refused. */
static void test_refused(void)
{
	static const char *const refused[] = {
	    "\x89\xc0",
	    "\x8b\xc8",
	    "\x88\xe0",
	    "\x86\xc0",
	    "\x87\xd8",
	    "\xc6\xc0\x01",
	    "\xc7\xc0\x01\x00\x00\x00",
	    "\x0f\xb6\xc0",
	    "\x0f\xbf\xc1",
	    "\xc6\x08\x12",
	    "\xc7\x48\x04\x01\x00\x00\x00",
	    "\xc6\xf8\x00",
	    "\x0f\x05",
	    "\x0f\x0f\x00",
	    "\x63\x00",
	    "\x90\x90",
	    "\x01\x00",
	    "\x8d\x00",
	    "\x84\x00",
	    "\xff\x00",
	    "\xf3\xa5",
	    "\xf2\x89\x00",
	    "\xf3\x89\x00",
	    "\x9b\x89\x00",
	    "\x8c\x00",
	    "\x8e\x00",
	    "\xa4\x00",
	    "\xc4\xe2\x00",
	};
	struct x86_mmio_access a;

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		uint8_t bytes[16] = {0};

		memcpy(bytes, refused[i], strlen(refused[i]) + 1);
		CHECK(!x86_decode_mmio(bytes, sizeof(bytes), 64, &a));
		CHECK(!x86_decode_mmio(bytes, sizeof(bytes), 32, &a));
	}
}

static void test_bad_arguments(void)
{
	const uint8_t mov[] = {0x89, 0x00};
	struct x86_mmio_access a;

	memset(&a, 0x5a, sizeof(a));
	CHECK(!x86_decode_mmio(mov, sizeof(mov), 0, &a));
	CHECK(!x86_decode_mmio(mov, sizeof(mov), 8, &a));
	CHECK(!x86_decode_mmio(mov, sizeof(mov), 48, &a));
	CHECK(!x86_decode_mmio(mov, 0, 64, &a));
	CHECK(!x86_decode_mmio(NULL, 2, 64, &a));
	CHECK(!x86_decode_mmio(mov, sizeof(mov), 64, NULL));
	CHECK_EQ(a.length, 0x5a); /* untouched on failure */
}

/* Prefixes count toward the 15-byte limit, whatever `available` says. */
static void test_length_limit(void)
{
	uint8_t bytes[16];
	struct x86_mmio_access a;
	uint8_t *fifteen;

	memset(bytes, 0x3e, 13);
	bytes[13] = 0x89;
	bytes[14] = 0x00;
	CHECK(decode_exact(bytes, 15, 64, &a));
	CHECK_EQ(a.length, 15);

	memset(bytes, 0x3e, 14);
	bytes[14] = 0x89;
	bytes[15] = 0x00;
	CHECK(!decode_exact(bytes, 16, 64, &a));

	/* 66 c7 with disp32 and imm16: 10 + 1 + 1 + 4 + 2 bytes */
	memset(bytes, 0x66, 10);
	memcpy(bytes + 10, "\xc7\x80\x00\x00\x00\x00", 6);
	CHECK(!decode_exact(bytes, 16, 64, &a));

	/* Only 15 prefix bytes exist, yet the caller claims far more. */
	fifteen = malloc(15);
	memset(fifteen, 0x26, 15);
	CHECK(!x86_decode_mmio(fifteen, SIZE_MAX, 64, &a));
	free(fifteen);
}

static uint64_t random_state = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
	random_state ^= random_state << 13;
	random_state ^= random_state >> 7;
	random_state ^= random_state << 17;
	return random_state;
}

/* A byte biased toward prefixes and the supported opcodes. */
static uint8_t random_byte(void)
{
	static const uint8_t interesting[] = {
	    0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0xf0, 0x40,
	    0x44, 0x48, 0x4f, 0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0x0f,
	    0xb6, 0xb7, 0xbe, 0xbf, 0x86, 0x87, 0xa0, 0xa1, 0xa2, 0xa3,
	    0x04, 0x05, 0x25, 0x44, 0x84, 0x24, 0x06, 0x80,
	};
	uint64_t r = next_random();

	if (r & 1)
		return (uint8_t)(r >> 8);
	return interesting[(r >> 8) % sizeof(interesting)];
}

static void check_random_access(const uint8_t *bytes, size_t available,
				unsigned bits, const struct x86_mmio_access *a)
{
	struct x86_mmio_access again;

	CHECK(a->length >= 1 && a->length <= available &&
	      a->length <= X86_MAX_INSTRUCTION_LENGTH);
	CHECK(a->size == 1 || a->size == 2 || a->size == 4 || a->size == 8);
	CHECK(a->reg < 16);
	CHECK(!a->high_byte || (a->reg < 4 && a->size == 1));
	CHECK(!(a->zero_extend && a->sign_extend));
	/* The length is exactly what it needs: no more, no less. */
	CHECK(decode_exact(bytes, a->length, bits, &again));
	CHECK(!memcmp(&again, a, sizeof(again)));
	CHECK(!decode_exact(bytes, a->length - 1u, bits, &again));
}

/* Random bytes: never a read past `available`, sane results when accepted. */
static void test_random_bytes(void)
{
	static const unsigned modes[] = {16, 32, 64};
	unsigned accepted = 0;

	for (unsigned round = 0; round < 200000; round++) {
		uint8_t bytes[X86_MAX_INSTRUCTION_LENGTH];
		size_t available = next_random() % (sizeof(bytes) + 1);
		unsigned bits = modes[next_random() % 3];
		struct x86_mmio_access a;

		for (size_t i = 0; i < sizeof(bytes); i++)
			bytes[i] = random_byte();
		if (!decode_exact(bytes, available, bits, &a))
			continue;
		accepted++;
		check_random_access(bytes, available, bits, &a);
	}
	CHECK(accepted > 1000);
}

static void run_tests(void)
{
	test_linux_accessors();
	test_vectors();
	test_rex_rules();
	test_immediates();
	test_moffs();
	test_refused();
	test_bad_arguments();
	test_length_limit();
	test_random_bytes();
}
