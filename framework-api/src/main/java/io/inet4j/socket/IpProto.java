package io.inet4j.socket;

/** IP protocol numbers ({@code include/uapi/linux/in.h}). {@code IPPROTO_IP} in socket() means "any". */
public final class IpProto {
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    /** Reserved for experimentation (RFC 3692); what sample protocols use. */
    public static final int IPPROTO_EXPERIMENT1 = 253;
    public static final int IPPROTO_EXPERIMENT2 = 254;
    public static final int IPPROTO_RAW = 255;

    private IpProto() {}
}
