package io.inet4j.benchmarks.latency;

import io.inet4j.stack.InetStack;
import io.inet4j.tap.PeerNamespace;
import io.inet4j.tap.TapLink;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * Where the stack under test lives when a command runs it over a TAP device: our end's name and address, and the
 * existing namespace that receives the kernel's end (the peer program runs there). Without {@code --tap} a command
 * uses the JDK's sockets instead.
 */
final class TapOptions {
    @Option(names = "--tap", description = "TAP device to open (with offloads) for an inet4j stack in this JVM")
    String tap;

    @Option(names = "--addr", description = "the stack's address with prefix, e.g. 10.126.2.2/24")
    String addr;

    @Option(names = "--peer-netns", description = "namespace that gets the kernel's end of the TAP")
    String peerNetns;

    @Option(names = "--peer-addr", description = "the kernel end's address with prefix, e.g. 10.126.2.1/24")
    String peerAddr;

    boolean inet4j() { return tap != null; }

    /** An inet4j stack and the namespace holding its peer; closing it closes both. */
    record Lab(InetStack stack, PeerNamespace peer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stack.close();
            peer.close();
        }
    }

    Lab open() throws IOException {
        if (addr == null || peerNetns == null || peerAddr == null) {
            throw new IllegalArgumentException("--tap needs --addr, --peer-netns and --peer-addr");
        }
        TapLink link = TapLink.open(tap, 1500, null, true);
        PeerNamespace peer;
        try {
            peer = PeerNamespace.attach(link.name(), peerNetns, peerAddr);
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
        return new Lab(InetStack.builder().name("lat").link(link, addr).build(), peer);
    }
}
