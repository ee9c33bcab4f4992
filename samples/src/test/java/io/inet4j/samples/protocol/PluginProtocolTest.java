package io.inet4j.samples.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.inet4j.ipv4.af.InetInit;
import io.inet4j.ipv4.testing.TwoStacks;
import io.inet4j.loop.SimulatedEventLoop;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.socket.Errno;
import io.inet4j.socket.ErrnoException;
import io.inet4j.socket.IpProto;
import io.inet4j.socket.SockAddrIn;
import io.inet4j.socket.SockType;
import io.inet4j.stack.InetStack;
import java.net.URL;
import java.util.Enumeration;
import org.junit.jupiter.api.Test;

/**
 * A protocol in a jar the core never references (this samples module) is registered at stack start through its
 * generated tables and served by socket(); without that jar on the class path the same call fails as Linux's
 * does for an unknown protocol.
 */
class PluginProtocolTest {
    @Test
    void generatedTablesOfThisJarAreRegistered() {
        try (TwoStacks t = new TwoStacks()) {
            assertThat(t.a.registrations()).extracting(InetInit.Registration::name, InetInit.Registration::outcome)
                    .contains(org.assertj.core.groups.Tuple.tuple(MiniDgramProt.class.getName(), "registered"),
                            org.assertj.core.groups.Tuple.tuple(MiniDgramRcv.class.getName(), "registered"),
                            org.assertj.core.groups.Tuple.tuple("io.inet4j.ipv4.icmp.PingProt", "registered"));
        }
    }

    @Test
    void datagramsFlowBetweenStacksOverThePluginProtocol() throws Exception {
        try (TwoStacks t = new TwoStacks()) {
            assertThat(MiniDgramExchange.roundTrip(t, "hello, plug-in").address()).isEqualTo(SockAddrIn.parseAddress(TwoStacks.A));
        }
    }

    @Test
    void withoutTheJarTheProtocolIsUnknown() throws Exception {
        ClassLoader coreOnly = new HidingLoader(getClass().getClassLoader());
        SimulatedEventLoop loop = new SimulatedEventLoop();
        InMemoryLink[] wire = InMemoryLink.pair("x", "y", 1500);
        try (InetStack s = InetStack.builder().loop(loop).classLoader(coreOnly).link(wire[0], "10.9.0.1/24").build()) {
            assertThat(s.registrations()).extracting(InetInit.Registration::name)
                    .doesNotContain(MiniDgramProt.class.getName()).contains("io.inet4j.ipv4.icmp.PingProt");
            try {
                s.socket(SockType.SOCK_DGRAM, IpProto.IPPROTO_EXPERIMENT1);
                throw new AssertionError("socket() should fail");
            } catch (ErrnoException e) {
                assertThat(e.errno()).isEqualTo(Errno.EPROTONOSUPPORT);
            }
        }
    }

    /** Hides the services entries of the samples module, as if its jar were absent from the class path. */
    private static final class HidingLoader extends ClassLoader {
        HidingLoader(ClassLoader parent) { super(parent); }

        @Override
        public Enumeration<URL> getResources(String name) throws java.io.IOException {
            java.util.List<URL> kept = new java.util.ArrayList<>();
            for (Enumeration<URL> e = super.getResources(name); e.hasMoreElements(); ) {
                URL u = e.nextElement();
                if (!isSamples(u)) kept.add(u);
            }
            return java.util.Collections.enumeration(kept);
        }

        private boolean isSamples(URL u) {
            String s = u.toString();
            return s.contains("/samples/target/classes/") || s.contains("samples-0.1.0");
        }
    }
}
