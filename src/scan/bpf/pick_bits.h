/* pick_bits.h - the -p filter's bitmap of keys, computed alike by the
 * program (pick.bpf.h) and by bpf_pick.c: a bit per key, set for every
 * inode the filter holds, so that the program looks an inode up in its hash
 * map only when its bit is set (most fds of the system are on none: one word
 * read instead of a hash lookup). */
#ifndef FDSHARE_PICK_BITS_H
#define FDSHARE_PICK_BITS_H

#define PICK_BITS_WORDS 1024u          /* 65536 bits: 8 KiB */

struct pick_bits {
	__u64 w[PICK_BITS_WORDS];
};

/* The bit of the inode (dev, ino), 0 .. 65535. */
static inline __u32 pick_bit(__u64 dev, __u64 ino)
{
	__u64 h = (dev ^ 0x1b873593u) * 0x9E3779B97F4A7C15ULL;

	h = (h ^ (h >> 29) ^ ino) * 0xBF58476D1CE4E5B9ULL;
	return (__u32)(h >> 48);
}

#endif
