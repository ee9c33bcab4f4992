package io.inet4j.netfilter;

/**
 * What a packet hook decides, the verdicts of {@code include/uapi/linux/netfilter.h} that {@code nf_hook_slow}
 * acts on without a queue: {@code NF_DROP}, {@code NF_ACCEPT}, {@code NF_STOLEN}.
 */
public enum NfVerdict {
    /** The packet is freed (its buffer back in the pool) and goes no further; a local sender gets EPERM. */
    DROP,
    /** The next hook runs, and after the last one the stack goes on with the packet. */
    ACCEPT,
    /**
     * The hook took the packet: the buffer is the hook's now, and it must release it or hand it back exactly once.
     * The stack neither touches nor frees it again. A hook that steals must not have released it before returning.
     */
    STOLEN
}
