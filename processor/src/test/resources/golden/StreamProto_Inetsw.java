package p;

/**
 * The AF_INET switch table row ({@code inetsw_array}) for {@link p.StreamProto}, from its {@code @InetProtosw}.
 */
@javax.annotation.processing.Generated("io.inet4j.processor.ProtocolTableProcessor")
public final class StreamProto_Inetsw implements io.inet4j.protocol.InetProtoswTable {
    @java.lang.Override
    public int type() {
        return 1;
    }

    @java.lang.Override
    public int protocol() {
        return 6;
    }

    @java.lang.Override
    public int flags() {
        return 6;
    }

    @java.lang.Override
    public java.lang.String name() {
        return "p.StreamProto";
    }

    @java.lang.Override
    public io.inet4j.socket.Proto newProto(io.inet4j.net.Net net) {
        return new p.StreamProto(net);
    }

    @java.lang.Override
    public io.inet4j.socket.ProtoOps ops() {
        return p.StreamOps.INSTANCE;
    }
}
