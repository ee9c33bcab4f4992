package io.inet4j.tcp;

import io.inet4j.tcp.wire.TcpOptions;

/**
 * The SACK blocks a receiver's ACKs report, most recently changed first ({@code tp->selective_acks},
 * {@code rx_opt.num_sacks}), and the D-SACK block the next ACK puts in front ({@code tp->duplicate_sack},
 * {@code rx_opt.dsack}); {@link TcpSackRcv} keeps them. A socket holds the shared empty {@link #NONE}
 * ({@link TcpSock#sacks}) until its first out-of-order or duplicate segment, which most connections never see, and
 * then one of its own ({@link TcpSock#ownSacks()}). Owned by the stack's loop.
 */
final class TcpSackBlocks {
    /** No blocks and no D-SACK: what every socket reads until it has some. Never written. */
    static final TcpSackBlocks NONE = new TcpSackBlocks();

    final int[] sackStart = new int[TcpOptions.TCP_NUM_SACKS];
    final int[] sackEnd = new int[TcpOptions.TCP_NUM_SACKS];
    byte numSacks;
    boolean dsack;
    int dsackStart;
    int dsackEnd;
}
