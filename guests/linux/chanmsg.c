/* SPDX-License-Identifier: MIT */
/*
 * chanmsg DEVICE N: exchanges N messages with the bare-metal peer at the
 * other end of a bulkhead channel (guests/linkpeer.c), through the
 * bulkhead_channel module's device, e.g. /dev/bulkhead-link.
 *
 * Protocol (guests/linux/mailbox.h, guests/linux/README.md): the channel
 * memory, mapped shared, holds two mailboxes { uint32_t sequence; uint32_t
 * length; uint8_t payload[]; }: the Linux->peer one in the first half, the
 * peer->Linux one in the second. For i = 1..N this program writes a
 * payload of 64..200 bytes derived from i and its length, stores
 * sequence = i last (release), and rings the peer (BULKHEAD_IOC_RING).
 * The peer answers with the payload XORed with 0x5a, the same length and
 * sequence = i, and rings back. This program sleeps in poll() until the
 * reply's sequence (loaded with acquire) is i and the reply's own doorbell
 * has been counted, at most 5 seconds per message, acknowledging the
 * doorbells (BULKHEAD_IOC_ACK), and checks length and every byte. Waiting
 * for each doorbell before the next message means no two of them are ever
 * outstanding at once, so none may coalesce with another (as two edges on
 * one interrupt line before the first is taken would, on hardware too):
 * the count D must be exactly N, and one doorbell lost is a timeout.
 *
 * Prints "linux: chanmsg: N messages verified, D doorbells" and exits 0;
 * or "linux: chanmsg: MISMATCH at message i" / "linux: chanmsg: timeout
 * at message i" (or another error) and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bulkhead_channel.h"
#include "mailbox.h"

#define REPLY_TIMEOUT_MS 5000
#define MESSAGES_MAX	  100000000u

struct link {
	int fd;
	uint64_t size;
	void *memory;
	volatile struct mailbox *request; /* Linux -> peer */
	volatile struct mailbox *reply;	  /* peer -> Linux */
	uint64_t capacity;
	uint64_t doorbells; /* the count at the last acknowledgement */
};

enum wait_result { WAIT_OK, WAIT_TIMEOUT, WAIT_ERROR };

static void fail(const char *what, int error)
{
	printf("linux: chanmsg: %s: %s\n", what, strerror(error));
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int acknowledge(struct link *link)
{
	__u64 count;

	if (ioctl(link->fd, BULKHEAD_IOC_ACK, &count) < 0)
		return -1;
	link->doorbells = count;
	return 0;
}

static int link_open(struct link *link, const char *path)
{
	struct bulkhead_ioc_info info;

	link->fd = open(path, O_RDWR | O_CLOEXEC);
	if (link->fd < 0) {
		fail(path, errno);
		return -1;
	}
	if (ioctl(link->fd, BULKHEAD_IOC_INFO, &info) < 0) {
		fail("BULKHEAD_IOC_INFO", errno);
		return -1;
	}
	link->size = info.size;
	link->capacity = mailbox_capacity(info.size);
	if (link->capacity < MAILBOX_PAYLOAD_MAX || info.size > SIZE_MAX) {
		printf("linux: chanmsg: channel of %" PRIu64
		       " bytes is too small\n",
		       link->size);
		return -1;
	}
	link->memory = mmap(NULL, (size_t)link->size, PROT_READ | PROT_WRITE,
			    MAP_SHARED, link->fd, 0);
	if (link->memory == MAP_FAILED) {
		fail("mmap", errno);
		return -1;
	}
	link->request =
	    mailbox_get(link->memory, link->size, MAILBOX_LINUX_TO_PEER);
	link->reply =
	    mailbox_get(link->memory, link->size, MAILBOX_PEER_TO_LINUX);
	info.peer_name[sizeof(info.peer_name) - 1] = '\0';
	printf("linux: chanmsg: %s: %" PRIu64 " bytes, peer %s, irq %u\n", path,
	       link->size, info.peer_name, info.irq);
	if (acknowledge(link)) {
		fail("BULKHEAD_IOC_ACK", errno);
		return -1;
	}
	return 0;
}

/* Sleeps in poll() until the reply mailbox holds sequence and the
 * doorbell count has reached doorbells, or the timeout. Both are checked
 * after each acknowledgement, so a doorbell cannot be lost between the
 * check and poll(). */
static enum wait_result wait_for_reply(struct link *link, uint32_t sequence,
				       uint64_t doorbells)
{
	int64_t deadline = now_ms() + REPLY_TIMEOUT_MS;
	struct pollfd pfd = {.fd = link->fd, .events = POLLIN};

	while (mailbox_sequence(link->reply) != sequence ||
	       link->doorbells < doorbells) {
		int64_t left = deadline - now_ms();
		int ready;

		if (left <= 0)
			return WAIT_TIMEOUT;
		ready = poll(&pfd, 1, (int)left);
		if (ready < 0 && errno != EINTR) {
			fail("poll", errno);
			return WAIT_ERROR;
		}
		if (ready > 0 && (pfd.revents & POLLIN) && acknowledge(link)) {
			fail("BULKHEAD_IOC_ACK", errno);
			return WAIT_ERROR;
		}
	}
	if (acknowledge(link)) {
		fail("BULKHEAD_IOC_ACK", errno);
		return WAIT_ERROR;
	}
	return WAIT_OK;
}

/* Compares the reply with the request; prints what differs. */
static int check_reply(struct link *link, uint32_t i, const uint8_t *request,
		       uint32_t length)
{
	uint8_t reply[MAILBOX_PAYLOAD_MAX];
	int64_t got =
	    mailbox_receive(link->reply, link->capacity, reply, sizeof(reply));
	uint32_t bad;

	if (got != (int64_t)length) {
		printf("linux: chanmsg: MISMATCH at message %" PRIu32 "\n", i);
		printf("linux: chanmsg: reply length %" PRIu32
		       ", expected %" PRIu32 "\n",
		       link->reply->length, length);
		return -1;
	}
	bad = mailbox_reply_mismatch(request, reply, length);
	if (bad != length) {
		printf("linux: chanmsg: MISMATCH at message %" PRIu32 "\n", i);
		printf("linux: chanmsg: byte %" PRIu32 " is 0x%02x, expected "
		       "0x%02x\n",
		       bad, reply[bad], mailbox_reply_byte(request[bad]));
		return -1;
	}
	return 0;
}

static int exchange(struct link *link, uint32_t i, uint64_t base)
{
	uint8_t request[MAILBOX_PAYLOAD_MAX];
	uint32_t length = mailbox_pattern_length(i);

	mailbox_pattern_fill(i, request, length);
	if (!mailbox_send(link->request, link->capacity, i, request, length)) {
		printf("linux: chanmsg: message %" PRIu32 " does not fit\n", i);
		return -1;
	}
	if (ioctl(link->fd, BULKHEAD_IOC_RING) < 0) {
		printf("linux: chanmsg: ring failed at message %" PRIu32
		       ": %s\n",
		       i, strerror(errno));
		return -1;
	}
	switch (wait_for_reply(link, i, base + i)) {
	case WAIT_OK:
		return check_reply(link, i, request, length);
	case WAIT_TIMEOUT:
		printf("linux: chanmsg: timeout at message %" PRIu32
		       " (reply %s, %" PRIu64 " doorbells)\n",
		       i,
		       mailbox_sequence(link->reply) == i ? "there" : "missing",
		       link->doorbells - base);
		return -1;
	default:
		return -1;
	}
}

static int parse_count(const char *text, uint32_t *count)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || end == text || *end || value < 1 || value > MESSAGES_MAX)
		return -1;
	*count = (uint32_t)value;
	return 0;
}

int main(int argc, char **argv)
{
	struct link link = {.fd = -1};
	uint64_t base;
	uint32_t count;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3 || parse_count(argv[2], &count)) {
		fprintf(stderr,
			"usage: chanmsg /dev/bulkhead-<channel> N "
			"(1 <= N <= %u)\n",
			MESSAGES_MAX);
		return 2;
	}
	if (link_open(&link, argv[1]))
		return 1;
	base = link.doorbells;
	for (uint32_t i = 1; i <= count; i++)
		if (exchange(&link, i, base))
			return 1;
	printf("linux: chanmsg: %" PRIu32 " messages verified, %" PRIu64
	       " doorbells\n",
	       count, link.doorbells - base);
	return 0;
}
