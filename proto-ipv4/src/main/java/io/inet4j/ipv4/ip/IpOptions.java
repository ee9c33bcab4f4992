package io.inet4j.ipv4.ip;

import io.inet4j.buffer.PacketBuffer;

/**
 * IPv4 option parsing ({@code ip_options_compile} in {@code net/ipv4/ip_options.c}): walks the options of a
 * received header, checks every length and pointer so nothing reads past the header, and reports what a
 * receiver must act on. Options are otherwise skipped: inet4j neither records routes nor stamps times.
 */
public final class IpOptions {
    public static final int IPOPT_END = 0;
    public static final int IPOPT_NOOP = 1;
    public static final int IPOPT_RR = 7;
    public static final int IPOPT_TIMESTAMP = 68;
    public static final int IPOPT_SEC = 130;
    public static final int IPOPT_LSRR = 131;
    public static final int IPOPT_CIPSO = 134;
    public static final int IPOPT_SSRR = 137;
    public static final int IPOPT_RA = 148;

    /** Returned by {@link #compile} when the options carry a source route. */
    public static final int SOURCE_ROUTE = -1;
    /** Returned by {@link #compile} when the options are well formed and carry no source route. */
    public static final int OK = -2;

    private IpOptions() {}

    /**
     * Checks the options of the header at {@code ipAt}. Returns {@link #OK}, {@link #SOURCE_ROUTE}, or on a
     * malformed option the offset (from the IP header start) of the offending byte, for an ICMP parameter
     * problem's pointer.
     */
    public static int compile(PacketBuffer b, int ipAt, int headerLength) {
        boolean srr = false;
        int i = 20;
        while (i < headerLength) {
            int type = b.getByte(ipAt + i);
            if (type == IPOPT_END) break;
            if (type == IPOPT_NOOP) {
                i++;
                continue;
            }
            if (i + 1 >= headerLength) return i;
            int len = b.getByte(ipAt + i + 1);
            if (len < 2 || i + len > headerLength) return i + 1;
            switch (type) {
                case IPOPT_RR, IPOPT_LSRR, IPOPT_SSRR -> {
                    if (len < 3) return i + 1;
                    int ptr = b.getByte(ipAt + i + 2);
                    if (ptr < 4) return i + 2;
                    if (type != IPOPT_RR) srr = true;
                }
                case IPOPT_TIMESTAMP -> {
                    if (len < 4) return i + 1;
                    int ptr = b.getByte(ipAt + i + 2);
                    if (ptr < 5) return i + 2;
                }
                case IPOPT_RA -> {
                    if (len != 4) return i + 1;
                }
                default -> {
                    // Unknown options are skipped by length, as RFC 1122 3.2.1.8 requires.
                }
            }
            i += len;
        }
        return srr ? SOURCE_ROUTE : OK;
    }
}
