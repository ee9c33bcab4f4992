package p;

/**
 * The AF_INET switch table row ({@code inetsw_array}) for {@link p.Outer.DatagramProto}, from its {@code @InetProtosw}.
 */
@javax.annotation.processing.Generated("io.inet4j.processor.ProtocolTableProcessor")
public final class Outer_DatagramProto_Inetsw implements io.inet4j.protocol.InetProtoswTable {
    private static final io.inet4j.socket.ProtoOps OPS = new q.DgramOps();

    @java.lang.Override
    public int type() {
        return 2;
    }

    @java.lang.Override
    public int protocol() {
        return 253;
    }

    @java.lang.Override
    public int flags() {
        return 0;
    }

    @java.lang.Override
    public java.lang.String name() {
        return "p.Outer$DatagramProto";
    }

    @java.lang.Override
    public io.inet4j.socket.Proto newProto(io.inet4j.net.Net net) {
        return new p.Outer.DatagramProto();
    }

    @java.lang.Override
    public io.inet4j.socket.ProtoOps ops() {
        return OPS;
    }
}
