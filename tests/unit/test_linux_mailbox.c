/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the chanmsg mailbox protocol (guests/linux/mailbox.h),
 * shared by the Linux program chanmsg and the bare-metal guest linkpeer:
 * the split of a channel into two mailboxes, the message pattern, sending,
 * receiving and answering, and hostile lengths from the other side. The
 * channel memory is a heap buffer of exactly the channel's size, so ASan
 * catches any access past it.
 */
#include "guests/linux/mailbox.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

CHECK_MAIN("test_linux_mailbox")

static uint8_t *channel_new(uint64_t size)
{
	uint8_t *memory = malloc(size);

	memset(memory, 0xee, size);
	return memory;
}

static void test_layout(void)
{
	CHECK_EQ(offsetof(struct mailbox, sequence), 0);
	CHECK_EQ(offsetof(struct mailbox, length), 4);
	CHECK_EQ(offsetof(struct mailbox, payload), MAILBOX_HEADER_SIZE);
	CHECK_EQ(sizeof(struct mailbox), MAILBOX_HEADER_SIZE);
}

static void test_split(void)
{
	CHECK_EQ(mailbox_half(0), 0);
	CHECK_EQ(mailbox_capacity(0), 0);
	CHECK_EQ(mailbox_half(16), 8);
	CHECK_EQ(mailbox_capacity(16), 0);
	CHECK_EQ(mailbox_half(17), 8);
	CHECK_EQ(mailbox_capacity(17), 0);
	CHECK_EQ(mailbox_half(32), 16);
	CHECK_EQ(mailbox_capacity(32), 8);
	CHECK_EQ(mailbox_half(4096), 2048);
	CHECK_EQ(mailbox_capacity(4096), 2040);
	/* Odd sizes: both halves stay 8-byte aligned and inside. */
	CHECK_EQ(mailbox_half(4100), 2048);
	CHECK_EQ(mailbox_half(4111), 2048);
	CHECK_EQ(mailbox_half(4112), 2056);
	/* Hostile sizes do not overflow. */
	CHECK_EQ(mailbox_half(UINT64_MAX), 0x7ffffffffffffff8ull);
	CHECK_EQ(mailbox_capacity(UINT64_MAX), 0x7ffffffffffffff0ull);
}

static void test_get(void)
{
	uint8_t *memory = channel_new(4100);

	CHECK(mailbox_get(memory, 4100, MAILBOX_LINUX_TO_PEER) ==
	      (volatile struct mailbox *)memory);
	CHECK(mailbox_get(memory, 4100, MAILBOX_PEER_TO_LINUX) ==
	      (volatile struct mailbox *)(memory + 2048));
	CHECK(mailbox_get(memory, 16, MAILBOX_LINUX_TO_PEER) == NULL);
	CHECK(mailbox_get(memory, 16, MAILBOX_PEER_TO_LINUX) == NULL);
	CHECK(mailbox_get(memory, 0, MAILBOX_PEER_TO_LINUX) == NULL);
	CHECK(mailbox_get(NULL, 4096, MAILBOX_LINUX_TO_PEER) == NULL);
	free(memory);
}

static void test_pattern_length(void)
{
	unsigned seen[MAILBOX_PAYLOAD_MAX + 1] = {0};
	unsigned outside = 0, distinct = 0;

	for (uint32_t i = 0; i < 100000; i++) {
		uint32_t length = mailbox_pattern_length(i);

		if (length < MAILBOX_PAYLOAD_MIN ||
		    length > MAILBOX_PAYLOAD_MAX)
			outside++;
		else
			seen[length]++;
	}
	CHECK_EQ(outside, 0);
	CHECK(mailbox_pattern_length(UINT32_MAX) >= MAILBOX_PAYLOAD_MIN);
	CHECK(mailbox_pattern_length(UINT32_MAX) <= MAILBOX_PAYLOAD_MAX);
	for (unsigned n = MAILBOX_PAYLOAD_MIN; n <= MAILBOX_PAYLOAD_MAX; n++)
		distinct += seen[n] != 0;
	/* Every length from 64 to 200 occurs, both ends included. */
	CHECK_EQ(distinct, MAILBOX_PAYLOAD_MAX - MAILBOX_PAYLOAD_MIN + 1);
	CHECK(mailbox_pattern_length(1) != mailbox_pattern_length(2) ||
	      mailbox_pattern_length(2) != mailbox_pattern_length(3));
}

static void test_pattern_fill(void)
{
	uint8_t a[MAILBOX_PAYLOAD_MAX], b[MAILBOX_PAYLOAD_MAX];
	uint8_t canary[4] = {0x11, 0x22, 0x33, 0x44};
	unsigned differing = 0, values = 0;
	unsigned histogram[256] = {0};

	mailbox_pattern_fill(7, a, sizeof(a));
	mailbox_pattern_fill(7, b, sizeof(b));
	CHECK(!memcmp(a, b, sizeof(a)));
	mailbox_pattern_fill(8, b, sizeof(b));
	for (unsigned k = 0; k < sizeof(a); k++)
		differing += a[k] != b[k];
	CHECK(differing > sizeof(a) / 2);
	for (unsigned k = 0; k < sizeof(a); k++)
		histogram[a[k]]++;
	for (unsigned v = 0; v < 256; v++)
		values += histogram[v] != 0;
	CHECK(values > 64);
	/* A shorter fill is a prefix of the longer one. */
	mailbox_pattern_fill(7, b, 64);
	CHECK(!memcmp(a, b, 64));
	/* Zero bytes writes nothing; message 0 is a pattern too. */
	mailbox_pattern_fill(3, canary, 0);
	CHECK_EQ(canary[0], 0x11);
	mailbox_pattern_fill(0, a, sizeof(a));
	mailbox_pattern_fill(0, b, sizeof(b));
	CHECK(!memcmp(a, b, sizeof(a)));
}

static void test_reply_bytes(void)
{
	uint8_t request[4] = {0x00, 0x5a, 0xa5, 0xff};
	uint8_t reply[4] = {0x5a, 0x00, 0xff, 0xa5};

	CHECK_EQ(mailbox_reply_byte(0x00), 0x5a);
	CHECK_EQ(mailbox_reply_byte(0x5a), 0x00);
	CHECK_EQ(mailbox_reply_byte(0xff), 0xa5);
	CHECK_EQ(mailbox_reply_mismatch(request, reply, 4), 4);
	CHECK_EQ(mailbox_reply_mismatch(request, reply, 0), 0);
	reply[2] ^= 1;
	CHECK_EQ(mailbox_reply_mismatch(request, reply, 4), 2);
	/* An unchanged echo is not a reply. */
	CHECK_EQ(mailbox_reply_mismatch(request, request, 4), 0);
}

static void test_send_receive(void)
{
	uint8_t *memory = channel_new(4096);
	volatile struct mailbox *box =
	    mailbox_get(memory, 4096, MAILBOX_LINUX_TO_PEER);
	uint64_t capacity = mailbox_capacity(4096);
	uint8_t payload[MAILBOX_PAYLOAD_MAX], out[MAILBOX_PAYLOAD_MAX];
	uint32_t length = mailbox_pattern_length(42);

	mailbox_pattern_fill(42, payload, length);
	CHECK(mailbox_send(box, capacity, 42, payload, length));
	CHECK_EQ(mailbox_sequence(box), 42);
	CHECK_EQ(box->length, length);
	CHECK(!memcmp(memory + MAILBOX_HEADER_SIZE, payload, length));
	/* The other mailbox is untouched. */
	CHECK_EQ(memory[2048], 0xee);
	memset(out, 0, sizeof(out));
	CHECK_EQ(mailbox_receive(box, capacity, out, sizeof(out)), length);
	CHECK(!memcmp(out, payload, length));
	/* A full mailbox, up to the last byte of the channel's first half. */
	{
		uint8_t *big = malloc(capacity);

		memset(big, 0x3c, capacity);
		CHECK(mailbox_send(box, capacity, 43, big, (uint32_t)capacity));
		CHECK_EQ(memory[2047], 0x3c);
		CHECK_EQ(memory[2048], 0xee);
		free(big);
	}
	free(memory);
}

static void test_send_too_long(void)
{
	uint8_t *memory = channel_new(64);
	volatile struct mailbox *box =
	    mailbox_get(memory, 64, MAILBOX_LINUX_TO_PEER);
	uint64_t capacity = mailbox_capacity(64);
	uint8_t payload[MAILBOX_PAYLOAD_MAX] = {0};

	CHECK_EQ(capacity, 24);
	CHECK(!mailbox_send(box, capacity, 1, payload, 25));
	/* Nothing written: not the sequence, not the payload. */
	for (unsigned k = 0; k < 64; k++)
		CHECK_EQ(memory[k], 0xee);
	CHECK(mailbox_send(box, capacity, 1, payload, 24));
	CHECK_EQ(mailbox_sequence(box), 1);
	/* A stored length past the mailbox is refused even when the
	 * reader's buffer would hold it. */
	box->length = 25;
	CHECK_EQ(mailbox_receive(box, capacity, payload, sizeof(payload)), -1);
	box->length = 24;
	CHECK_EQ(mailbox_receive(box, capacity, payload, sizeof(payload)), 24);
	free(memory);
}

static void test_receive_hostile(void)
{
	uint8_t *memory = channel_new(4096);
	volatile struct mailbox *box =
	    mailbox_get(memory, 4096, MAILBOX_PEER_TO_LINUX);
	uint64_t capacity = mailbox_capacity(4096);
	uint8_t out[MAILBOX_PAYLOAD_MAX];

	memset(out, 0x77, sizeof(out));
	box->length = UINT32_MAX;
	CHECK_EQ(mailbox_receive(box, capacity, out, sizeof(out)), -1);
	box->length = (uint32_t)capacity + 1;
	CHECK_EQ(mailbox_receive(box, capacity, out, sizeof(out)), -1);
	/* Within the mailbox but above the reader's buffer. */
	box->length = MAILBOX_PAYLOAD_MAX + 1;
	CHECK_EQ(mailbox_receive(box, capacity, out, sizeof(out)), -1);
	CHECK_EQ(out[0], 0x77);
	CHECK_EQ(out[MAILBOX_PAYLOAD_MAX - 1], 0x77);
	box->length = 0;
	CHECK_EQ(mailbox_receive(box, capacity, out, sizeof(out)), 0);
	box->length = MAILBOX_PAYLOAD_MAX;
	CHECK_EQ(mailbox_receive(box, capacity, out, sizeof(out)),
		 MAILBOX_PAYLOAD_MAX);
	CHECK_EQ(out[0], 0xee);
	free(memory);
}

static void test_answer(void)
{
	uint8_t *memory = channel_new(4096);
	volatile struct mailbox *request =
	    mailbox_get(memory, 4096, MAILBOX_LINUX_TO_PEER);
	volatile struct mailbox *reply =
	    mailbox_get(memory, 4096, MAILBOX_PEER_TO_LINUX);
	uint64_t capacity = mailbox_capacity(4096);
	uint8_t payload[MAILBOX_PAYLOAD_MAX], out[MAILBOX_PAYLOAD_MAX];
	uint32_t length = mailbox_pattern_length(5);

	mailbox_pattern_fill(5, payload, length);
	mailbox_send(request, capacity, 5, payload, length);
	CHECK_EQ(mailbox_answer(request, reply, capacity, 5), length);
	CHECK_EQ(mailbox_sequence(reply), 5);
	CHECK_EQ(mailbox_receive(reply, capacity, out, sizeof(out)), length);
	CHECK_EQ(mailbox_reply_mismatch(payload, out, length), length);
	CHECK_EQ(out[0], payload[0] ^ 0x5a);
	/* The request is left as it was. */
	CHECK_EQ(mailbox_sequence(request), 5);
	CHECK(!memcmp(memory + MAILBOX_HEADER_SIZE, payload, length));

	/* A hostile request length: no reply at all. */
	request->length = (uint32_t)capacity + 1;
	CHECK_EQ(mailbox_answer(request, reply, capacity, 6), -1);
	CHECK_EQ(mailbox_sequence(reply), 5);
	CHECK_EQ(reply->length, length);
	request->length = UINT32_MAX;
	CHECK_EQ(mailbox_answer(request, reply, capacity, 6), -1);

	/* The largest request fills the reply mailbox to the channel's end
	 * (ASan: the buffer is exactly 4096 bytes). */
	request->length = (uint32_t)capacity;
	CHECK_EQ(mailbox_answer(request, reply, capacity, 7), capacity);
	CHECK_EQ(memory[4095], memory[2047] ^ 0x5a);
	free(memory);
}

/* chanmsg and linkpeer in turn, as over the real channel. */
static void test_exchange(void)
{
	uint8_t *memory = channel_new(8192);
	volatile struct mailbox *request =
	    mailbox_get(memory, 8192, MAILBOX_LINUX_TO_PEER);
	volatile struct mailbox *reply =
	    mailbox_get(memory, 8192, MAILBOX_PEER_TO_LINUX);
	uint64_t capacity = mailbox_capacity(8192);
	unsigned bad = 0;

	for (uint32_t i = 1; i <= 500; i++) {
		uint8_t payload[MAILBOX_PAYLOAD_MAX], out[MAILBOX_PAYLOAD_MAX];
		uint32_t length = mailbox_pattern_length(i);

		mailbox_pattern_fill(i, payload, length);
		bad += !mailbox_send(request, capacity, i, payload, length);
		bad += mailbox_sequence(request) != i;
		bad += mailbox_answer(request, reply, capacity,
				      mailbox_sequence(request)) != length;
		bad += mailbox_sequence(reply) != i;
		bad += mailbox_receive(reply, capacity, out, sizeof(out)) !=
		       length;
		bad += mailbox_reply_mismatch(payload, out, length) != length;
	}
	CHECK_EQ(bad, 0);
	free(memory);
}

static void run_tests(void)
{
	test_layout();
	test_split();
	test_get();
	test_pattern_length();
	test_pattern_fill();
	test_reply_bytes();
	test_send_receive();
	test_send_too_long();
	test_receive_hostile();
	test_answer();
	test_exchange();
}
