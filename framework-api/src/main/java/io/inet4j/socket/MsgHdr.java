package io.inet4j.socket;

import java.nio.ByteBuffer;

/**
 * The argument of {@code sendmsg}/{@code recvmsg} ({@code struct msghdr}): the data (from its position to its
 * limit; advanced by what was moved), the peer address ({@code msg_name}: the destination on send, filled in on
 * receive) and the returned flags ({@code msg_flags}, e.g. {@link MsgFlags#MSG_TRUNC}).
 */
public final class MsgHdr {
    public ByteBuffer data;
    public SockAddr name;
    public int flags;

    public MsgHdr() {}

    public MsgHdr(ByteBuffer data, SockAddr name) {
        this.data = data;
        this.name = name;
    }
}
