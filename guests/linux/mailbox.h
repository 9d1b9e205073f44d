/* SPDX-License-Identifier: MIT */
/*
 * The chanmsg mailbox protocol, shared by the Linux user program
 * (guests/linux/chanmsg.c) and its bare-metal peer (guests/linkpeer.c).
 * Header-only and libc-free, so a freestanding guest can include it.
 *
 * The channel memory is split in two halves of mailbox_half(size) bytes:
 * the first is the Linux->peer mailbox, the second the peer->Linux one.
 * Each mailbox is { uint32_t sequence; uint32_t length; payload[] }. A
 * sender writes the payload and the length, then the sequence with a
 * release store, then rings the doorbell; a receiver loads the sequence
 * with acquire, and only then reads length and payload. Nothing read from
 * the other side is trusted: a length above the mailbox's capacity (or
 * the reader's buffer) is refused.
 *
 * Message i (i = 1, 2, ...) carries mailbox_pattern_length(i) bytes (64 to
 * 200) of a pseudo-random pattern seeded with i; the reply carries the
 * same number of bytes, each XORed with MAILBOX_REPLY_XOR.
 */
#ifndef GUESTS_LINUX_MAILBOX_H
#define GUESTS_LINUX_MAILBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAILBOX_HEADER_SIZE 8u
#define MAILBOX_ALIGN	    8u
#define MAILBOX_REPLY_XOR   0x5au
#define MAILBOX_PAYLOAD_MIN 64u
#define MAILBOX_PAYLOAD_MAX 200u

struct mailbox {
	uint32_t sequence; /* written last (release), read first (acquire) */
	uint32_t length;   /* payload bytes */
	uint8_t payload[];
};

enum mailbox_direction {
	MAILBOX_LINUX_TO_PEER = 0, /* first half of the channel */
	MAILBOX_PEER_TO_LINUX = 1, /* second half */
};

/* Bytes of one half of a channel, rounded down so both mailboxes are
 * 8-byte aligned (channels are whole pages; this only matters for odd
 * sizes). */
static inline uint64_t mailbox_half(uint64_t channel_size)
{
	return (channel_size / 2) & ~(uint64_t)(MAILBOX_ALIGN - 1);
}

/* Largest payload one mailbox holds; 0 when the channel is too small. */
static inline uint64_t mailbox_capacity(uint64_t channel_size)
{
	uint64_t half = mailbox_half(channel_size);

	return half > MAILBOX_HEADER_SIZE ? half - MAILBOX_HEADER_SIZE : 0;
}

/* The mailbox of one direction inside the channel memory at `channel`
 * (8-byte aligned), or NULL when the channel has no room for payload. */
static inline volatile struct mailbox *
mailbox_get(volatile void *channel, uint64_t channel_size,
	    enum mailbox_direction direction)
{
	uint64_t offset =
	    direction == MAILBOX_PEER_TO_LINUX ? mailbox_half(channel_size) : 0;

	if (!channel || mailbox_capacity(channel_size) == 0)
		return NULL;
	return (volatile struct mailbox *)((volatile uint8_t *)channel +
					   offset);
}

/* The sequence number, loaded with acquire: payload and length written
 * before it was stored are visible once it is seen. */
static inline uint32_t mailbox_sequence(const volatile struct mailbox *box)
{
	return __atomic_load_n(&box->sequence, __ATOMIC_ACQUIRE);
}

/* Payload length of message i: 64..200, varying with i. */
static inline uint32_t mailbox_pattern_length(uint32_t i)
{
	uint32_t mix = i * 2654435761u;

	mix ^= mix >> 15;
	return MAILBOX_PAYLOAD_MIN +
	       mix % (MAILBOX_PAYLOAD_MAX - MAILBOX_PAYLOAD_MIN + 1);
}

/* Fills out[0..length) with the pattern of message i (xorshift32 seeded
 * with i). */
static inline void mailbox_pattern_fill(uint32_t i, uint8_t *out,
					uint32_t length)
{
	uint32_t state = (i ^ 0x9e3779b9u) * 2246822519u;

	if (state == 0)
		state = 1;
	for (uint32_t k = 0; k < length; k++) {
		state ^= state << 13;
		state ^= state >> 17;
		state ^= state << 5;
		out[k] = (uint8_t)(state >> 24);
	}
}

/* The reply byte for a request byte. */
static inline uint8_t mailbox_reply_byte(uint8_t request)
{
	return (uint8_t)(request ^ MAILBOX_REPLY_XOR);
}

/* Index of the first byte where reply is not the reply to request, or
 * length when all match. */
static inline uint32_t mailbox_reply_mismatch(const uint8_t *request,
					      const uint8_t *reply,
					      uint32_t length)
{
	for (uint32_t k = 0; k < length; k++)
		if (reply[k] != mailbox_reply_byte(request[k]))
			return k;
	return length;
}

/* Stores payload and length, then the sequence (release). False, and
 * nothing written, when length is above the capacity. */
static inline bool mailbox_send(volatile struct mailbox *box, uint64_t capacity,
				uint32_t sequence, const uint8_t *payload,
				uint32_t length)
{
	if (length > capacity)
		return false;
	for (uint32_t k = 0; k < length; k++)
		box->payload[k] = payload[k];
	box->length = length;
	__atomic_store_n(&box->sequence, sequence, __ATOMIC_RELEASE);
	return true;
}

/* Copies the payload of the message whose sequence was just seen into
 * out; returns its length, or -1 when the stored length is above the
 * capacity or out_size (the length is read once). */
static inline int64_t mailbox_receive(const volatile struct mailbox *box,
				      uint64_t capacity, uint8_t *out,
				      uint32_t out_size)
{
	uint32_t length = box->length;

	if (length > capacity || length > out_size)
		return -1;
	for (uint32_t k = 0; k < length; k++)
		out[k] = box->payload[k];
	return length;
}

/* Answers the message in request with sequence number `sequence`: the
 * payload XORed with MAILBOX_REPLY_XOR into reply, then reply's sequence.
 * Returns the length, or -1 (nothing written) when the request's length
 * is above the capacity. */
static inline int64_t mailbox_answer(const volatile struct mailbox *request,
				     volatile struct mailbox *reply,
				     uint64_t capacity, uint32_t sequence)
{
	uint32_t length = request->length;

	if (length > capacity)
		return -1;
	for (uint32_t k = 0; k < length; k++)
		reply->payload[k] = mailbox_reply_byte(request->payload[k]);
	reply->length = length;
	__atomic_store_n(&reply->sequence, sequence, __ATOMIC_RELEASE);
	return length;
}

#endif
