package p;

/** The {@code inet_protos[]} entry for {@link p.EchoHandler}, from its {@code @NetProtocol}. */
@javax.annotation.processing.Generated("io.inet4j.processor.ProtocolTableProcessor")
public final class EchoHandler_NetProtocol implements io.inet4j.protocol.NetProtocolTable {
    @java.lang.Override
    public int protocol() {
        return 253;
    }

    @java.lang.Override
    public java.lang.String name() {
        return "p.EchoHandler";
    }

    @java.lang.Override
    public io.inet4j.protocol.NetProtocolHandler newHandler(io.inet4j.net.Net net) {
        return new p.EchoHandler(net);
    }
}
