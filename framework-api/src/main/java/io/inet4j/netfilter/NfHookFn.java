package io.inet4j.netfilter;

import io.inet4j.buffer.PacketBuffer;

/**
 * A packet hook, Linux's {@code nf_hookfn}. Runs on the stack's loop with {@code b}'s data at the IPv4 header
 * ({@code b.networkHeader() == b.data()}) at every point; read it with the IPv4 wire views
 * ({@code Ipv4Header.saddr(b, b.data())}, ...).
 *
 * <p>Ownership: the buffer stays the stack's unless the hook answers {@link NfVerdict#STOLEN}. The packet is
 * read-only to a hook: the stack has already checked its header and checksum, and at every point but
 * PRE_ROUTING routed it, so a rewritten address would not be acted on (no NAT, no mangling). A hook that throws
 * or answers null has the packet dropped and the failure counted on its {@link NfHookOps}.
 */
@FunctionalInterface
public interface NfHookFn {
    /**
     * @param hook where it runs
     * @param inIfindex the device the packet arrived on (0 at LOCAL_OUT and for locally made packets)
     * @param outIfindex the device it leaves by (0 at PRE_ROUTING and LOCAL_IN)
     */
    NfVerdict hook(NfInetHook hook, PacketBuffer b, int inIfindex, int outIfindex);
}
