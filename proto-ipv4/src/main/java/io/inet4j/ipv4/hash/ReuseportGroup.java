package io.inet4j.ipv4.hash;

import io.inet4j.ipv4.af.InetSock;
import java.util.Arrays;

/**
 * The SO_REUSEPORT listeners sharing one address, port and device ({@code struct sock_reuseport},
 * {@code net/core/sock_reuseport.c}). A connection request goes to one of them by a hash of its 4-tuple, so the
 * same flow always lands on the same listener while the group is unchanged.
 */
public final class ReuseportGroup {
    private InetSock[] socks = new InetSock[4];
    private int numSocks;

    private ReuseportGroup() {}

    /** reuseport_alloc: a new group with {@code sk} its only member. */
    static void reuseportAlloc(InetSock sk) { new ReuseportGroup().add(sk); }

    /** reuseport_add_sock. */
    void add(InetSock sk) {
        if (numSocks == socks.length) socks = Arrays.copyOf(socks, numSocks * 2);
        socks[numSocks++] = sk;
        sk.reuseportCb = this;
    }

    /** reuseport_detach_sock: the last member fills the hole, as in Linux. */
    void detach(InetSock sk) {
        for (int i = 0; i < numSocks; i++) {
            if (socks[i] == sk) {
                socks[i] = socks[--numSocks];
                socks[numSocks] = null;
                break;
            }
        }
        sk.reuseportCb = null;
    }

    public int size() { return numSocks; }

    /** reuseport_select_sock without a BPF program: {@code socks[reciprocal_scale(hash, num_socks)]}. */
    InetSock select(int hash) {
        return socks[(int) ((hash & 0xFFFF_FFFFL) * numSocks >>> 32)];
    }
}
