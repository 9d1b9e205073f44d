/* SPDX-License-Identifier: MIT */
/*
 * linkpeer: the bare-metal partner of the Linux program chanmsg
 * (guests/linux/chanmsg.c), over the partition's first channel. args:
 *   count=N    messages to answer (100 by default); chanmsg's N must agree
 *   channel=K  the caller's channel index (0 by default)
 *
 * The protocol is in guests/linux/mailbox.h: Linux writes message i in
 * the first half of the channel (sequence = i last) and rings; this guest
 * sleeps (sti; hlt) until the Linux->peer sequence changes, requires it to
 * be the previous one + 1 and the payload to be message i's pattern,
 * writes the payload XORed with 0x5a to the peer->Linux mailbox (sequence
 * last) and rings back. Progress every 25 messages; the last line is "N
 * messages answered". Exit 0, 1 on a MISMATCH or a failed notify, 2 for
 * bad args or a missing or too small channel.
 */
#include "bulkhead.h"
#include "linux/mailbox.h"

#define PROGRESS_EVERY 25

struct link {
	const struct guest_channel *channel;
	volatile struct mailbox *request; /* Linux -> peer */
	volatile struct mailbox *reply;	  /* peer -> Linux */
	uint64_t capacity;
};

static void doorbell(unsigned vector, struct guest_exception_frame *frame)
{
	(void)vector;
	(void)frame;
	/* Nothing to do: waking from HLT is the point. */
}

/* Sleeps until the request's sequence is no longer `previous`; Linux
 * stores it before ringing, so checking it with interrupts off and then
 * "sti; hlt" cannot miss the doorbell. */
static uint32_t wait_for_request(const struct link *link, uint32_t previous)
{
	uint32_t sequence;

	guest_interrupts_disable();
	while ((sequence = mailbox_sequence(link->request)) == previous)
		guest_wait_for_interrupt();
	return sequence;
}

/* Message i must be exactly chanmsg's pattern for i. */
static bool request_valid(const struct link *link, uint32_t i)
{
	uint8_t expected[MAILBOX_PAYLOAD_MAX];
	uint8_t got[MAILBOX_PAYLOAD_MAX];
	uint32_t length = mailbox_pattern_length(i);
	int64_t received =
	    mailbox_receive(link->request, link->capacity, got, sizeof(got));

	if (received != (int64_t)length) {
		gprintf("MISMATCH at message %u: length %u, expected %u\n", i,
			link->request->length, length);
		return false;
	}
	mailbox_pattern_fill(i, expected, length);
	for (uint32_t k = 0; k < length; k++) {
		if (got[k] != expected[k]) {
			gprintf("MISMATCH at message %u: byte %u is 0x%02x, "
				"expected 0x%02x\n",
				i, k, got[k], expected[k]);
			return false;
		}
	}
	return true;
}

static int answer(const struct link *link, uint32_t i)
{
	int64_t result;

	if (!request_valid(link, i))
		return 1;
	if (mailbox_answer(link->request, link->reply, link->capacity, i) < 0) {
		gprintf("MISMATCH at message %u: request changed\n", i);
		return 1;
	}
	result = guest_channel_notify(link->channel);
	if (result < 0) {
		gprintf("message %u: notify failed: %ld (%s)\n", i, result,
			bulkhead_error_name(result));
		return 1;
	}
	return 0;
}

static int answer_all(const struct link *link, uint32_t count)
{
	uint32_t previous = 0;

	while (previous < count) {
		uint32_t sequence = wait_for_request(link, previous);

		if (sequence != previous + 1) {
			gprintf("MISMATCH: sequence %u after %u\n", sequence,
				previous);
			return 1;
		}
		if (answer(link, sequence))
			return 1;
		previous = sequence;
		if (sequence % PROGRESS_EVERY == 0 && sequence != count)
			gprintf("%u messages answered\n", sequence);
	}
	gprintf("%u messages answered\n", count);
	return 0;
}

int guest_main(const struct bulkhead_boot_info *boot, unsigned vcpu)
{
	struct guest_channel channel;
	struct link link;
	int64_t count = 100, index = 0, result;
	int status;

	if (vcpu != 0)
		return guest_wait_for_primary();
	args_get_number(boot->args, "count", &count);
	args_get_number(boot->args, "channel", &index);
	if (count < 1 || count > UINT32_MAX - 1 || index < 0 ||
	    index > UINT32_MAX) {
		gprintf("bad count or channel\n");
		return 2;
	}
	result = guest_channel_open((unsigned)index, &channel);
	if (result < 0) {
		gprintf(
		    "channel %ld: %ld (%s); this partition has %u channels\n",
		    index, result, bulkhead_error_name(result),
		    boot->channel_count);
		return 2;
	}
	channel.info.name[BULKHEAD_NAME_MAX - 1] = '\0';
	channel.info.peer_name[BULKHEAD_NAME_MAX - 1] = '\0';
	link.channel = &channel;
	link.capacity = mailbox_capacity(channel.info.size);
	link.request = mailbox_get(channel.memory, channel.info.size,
				   MAILBOX_LINUX_TO_PEER);
	link.reply = mailbox_get(channel.memory, channel.info.size,
				 MAILBOX_PEER_TO_LINUX);
	if (link.capacity < MAILBOX_PAYLOAD_MAX) {
		gprintf("channel %s: %lu bytes is too small\n",
			channel.info.name, channel.info.size);
		return 2;
	}
	if (guest_set_interrupt_handler(channel.info.vector, doorbell)) {
		gprintf("channel %s: bad vector %u\n", channel.info.name,
			channel.info.vector);
		return 2;
	}
	gprintf("waiting on channel %s with %s\n", channel.info.name,
		channel.info.peer_name);
	status = answer_all(&link, (uint32_t)count);
	if (guest_unexpected_interrupts())
		gprintf("%lu unexpected interrupts\n",
			guest_unexpected_interrupts());
	return status;
}
