package io.inet4j.netfilter;

/**
 * The five places a packet hook runs on the IPv4 path, Linux's {@code enum nf_inet_hooks}
 * ({@code include/uapi/linux/netfilter.h}): {@code ip_rcv} before routing, {@code ip_local_deliver} after
 * reassembly, {@code ip_forward}, {@code __ip_local_out} and {@code ip_output} before fragmentation.
 */
public enum NfInetHook {
    PRE_ROUTING, LOCAL_IN, FORWARD, LOCAL_OUT, POST_ROUTING
}
