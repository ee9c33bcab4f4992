package io.inet4j.ipv4.frag;

import static io.inet4j.ipv4.frag.Datagrams.bytes;
import static io.inet4j.ipv4.frag.Datagrams.checksumOk;
import static io.inet4j.ipv4.frag.Datagrams.datagram;
import static io.inet4j.ipv4.frag.Datagrams.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.buffer.PacketBuffer;
import io.inet4j.buffer.PacketBufferPool;
import io.inet4j.ipv4.wire.Ipv4Header;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.mib.IpMib;
import io.inet4j.mib.MibCounters;
import io.inet4j.net.Net;
import io.inet4j.net.NetConfig;
import io.inet4j.socket.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IpFragmenterTest {
    private final PacketBufferPool pool = PacketBufferPool.standard();
    private final Net net = new Net(NetConfig.named("t").withSeed(1), new SimulatedEventLoop(), pool);
    private final MibCounters<IpMib> mib = net.mibs().ip;
    private final IpFragmenter fragmenter = new IpFragmenter(net);
    private final List<PacketBuffer> out = new ArrayList<>();
    private final Random rnd = new Random(7);
    private final long outstandingAtStart = pool.outstanding();

    @AfterEach
    void noLeaks() {
        out.forEach(PacketBuffer::release);
        assertThat(pool.outstanding()).isEqualTo(outstandingAtStart);
    }

    private static int offset(PacketBuffer f) { return Ipv4Header.fragOffsetBytes(f, f.data()); }

    private static boolean mf(PacketBuffer f) { return Ipv4Header.moreFragments(f, f.data()); }

    private static int hlen(PacketBuffer f) { return Ipv4Header.headerLength(f, f.data()); }

    @Test
    void datagramThatFitsGoesThroughUntouched() {
        PacketBuffer skb = datagram(pool, 1, new byte[0], payload(rnd, 1480), 0);

        assertThat(fragmenter.ipFragment(skb, 1500, out::add)).isEqualTo(1);
        assertThat(out).containsExactly(skb);
        assertThat(mib.get(IpMib.FragOKs) + mib.get(IpMib.FragCreates)).isZero();
    }

    @Test
    void fragmentsCarry8ByteMultiplesAndFixedHeaders() {
        byte[] data = payload(rnd, 4000);
        PacketBuffer skb = datagram(pool, 0x1234, new byte[0], data, 0);
        skb.setIfindex(3);
        skb.cb0 = 0x0a000001;
        int headroom = skb.headroom();

        assertThat(fragmenter.ipFragment(skb, 1500, out::add)).isEqualTo(3);

        assertThat(out).extracting(PacketBuffer::length).containsExactly(1500, 1500, 1060);
        assertThat(out).extracting(IpFragmenterTest::offset).containsExactly(0, 1480, 2960);
        assertThat(out).extracting(IpFragmenterTest::mf).containsExactly(true, true, false);
        byte[] joined = new byte[0];
        for (PacketBuffer f : out) {
            int at = f.data();
            assertThat(Ipv4Header.totalLength(f, at)).isEqualTo(f.length());
            assertThat(Ipv4Header.id(f, at)).isEqualTo(0x1234);
            assertThat(checksumOk(f)).isTrue();
            assertThat(f.headroom()).isEqualTo(headroom);
            assertThat(f.networkHeader()).isEqualTo(at);
            assertThat(f.ifindex()).isEqualTo(3);
            assertThat(f.cb0).isEqualTo(0x0a000001);
            byte[] b = bytes(f);
            joined = concat(joined, Arrays.copyOfRange(b, 20, b.length));
        }
        assertThat(joined).isEqualTo(data);
        assertThat(mib.get(IpMib.FragOKs)).isEqualTo(1);
        assertThat(mib.get(IpMib.FragCreates)).isEqualTo(3);
    }

    @Test
    void onlyCopiedOptionsGoIntoLaterFragments() {
        byte[] options = {
            7, 7, 4, 0, 0, 0, 0,                    // record route: not copied
            (byte) 0x83, 7, 4, 10, 9, 8, 7,         // loose source route: copied
            1,                                      // NOP
            0                                       // end of options
        };
        byte[] data = payload(rnd, 1000);
        PacketBuffer skb = datagram(pool, 9, options, data, 0);

        assertThat(fragmenter.ipFragment(skb, 500, out::add)).isEqualTo(3);

        PacketBuffer first = out.get(0);
        assertThat(hlen(first)).isEqualTo(36);
        assertThat(Arrays.copyOfRange(bytes(first), 20, 36)).isEqualTo(options);
        assertThat(first.length()).isEqualTo(36 + 464);
        for (PacketBuffer later : out.subList(1, 3)) {
            assertThat(hlen(later)).isEqualTo(28);
            assertThat(Arrays.copyOfRange(bytes(later), 20, 28)).containsExactly(0x83, 7, 4, 10, 9, 8, 7, 0);
            assertThat(checksumOk(later)).isTrue();
        }
        assertThat(out).extracting(PacketBuffer::length).containsExactly(500, 28 + 472, 28 + 64);
        assertThat(out).extracting(IpFragmenterTest::offset).containsExactly(0, 464, 936);
    }

    @Test
    void dontFragmentIsEmsgsizeAndTheCallerKeepsTheBuffer() {
        PacketBuffer skb = datagram(pool, 1, new byte[0], payload(rnd, 2000), Ipv4Header.FLAG_DF);

        assertThat(fragmenter.ipFragment(skb, 1500, out::add)).isEqualTo(Errno.EMSGSIZE.neg());

        assertThat(out).isEmpty();
        assertThat(skb.refCnt()).isEqualTo(1);
        assertThat(mib.get(IpMib.FragFails)).isEqualTo(1);
        assertThat(mib.get(IpMib.FragCreates)).isZero();
        skb.release();
    }

    @Test
    void mtuWithoutRoomForDataIsEinval() {
        PacketBuffer skb = datagram(pool, 1, new byte[40], payload(rnd, 100), 0);
        assertThat(fragmenter.ipFragment(skb, 67, out::add)).isEqualTo(Errno.EINVAL.neg());
        assertThat(mib.get(IpMib.FragFails)).isEqualTo(1);
        skb.release();
    }

    @Test
    void refragmentingAFragmentKeepsItsOffsetAndMoreFragments() {
        PacketBuffer skb = datagram(pool, 5, new byte[0], payload(rnd, 3000), 0);
        List<PacketBuffer> firstPass = new ArrayList<>();
        fragmenter.ipFragment(skb, 1500, firstPass::add);
        PacketBuffer middle = firstPass.get(1);
        firstPass.remove(1);
        firstPass.forEach(PacketBuffer::release);

        assertThat(fragmenter.ipFragment(middle, 576, out::add)).isEqualTo(3);

        assertThat(out).extracting(IpFragmenterTest::offset).containsExactly(1480, 1480 + 552, 1480 + 2 * 552);
        assertThat(out).extracting(IpFragmenterTest::mf).containsExactly(true, true, true);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
