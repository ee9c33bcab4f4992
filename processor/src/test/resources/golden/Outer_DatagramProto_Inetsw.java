package p;

import io.inet4j.protocol.InetProtoswTable;
import io.inet4j.protocol.ProtocolContext;
import io.inet4j.socket.Proto;
import io.inet4j.socket.ProtoOps;
import javax.annotation.processing.Generated;
import q.DgramOps;

/**
 * The AF_INET switch table row ({@code inetsw_array}) for {@link Outer.DatagramProto}, from its {@code @InetProtosw}.
 */
@Generated("io.inet4j.processor.ProtocolTableProcessor")
public final class Outer_DatagramProto_Inetsw implements InetProtoswTable {
    private static final ProtoOps OPS = new DgramOps();

    @Override
    public int type() {
        return 2;
    }

    @Override
    public int protocol() {
        return 253;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public String name() {
        return "p.Outer$DatagramProto";
    }

    @Override
    public ProtoOps ops() {
        return OPS;
    }

    @Override
    public Proto newProto(ProtocolContext ctx) {
        return new Outer.DatagramProto();
    }
}
