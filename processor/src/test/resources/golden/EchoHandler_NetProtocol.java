package p;

import io.inet4j.processor.fixtures.FixtureContext;
import io.inet4j.protocol.NetProtocolHandler;
import io.inet4j.protocol.NetProtocolTable;
import io.inet4j.protocol.ProtocolContext;
import javax.annotation.processing.Generated;

/**
 * The {@code inet_protos[]} entry for {@link EchoHandler}, from its {@code @NetProtocol}.
 */
@Generated("io.inet4j.processor.ProtocolTableProcessor")
public final class EchoHandler_NetProtocol implements NetProtocolTable {
    @Override
    public int protocol() {
        return 253;
    }

    @Override
    public String name() {
        return "p.EchoHandler";
    }

    @Override
    public NetProtocolHandler newHandler(ProtocolContext ctx) {
        return new EchoHandler((FixtureContext) ctx);
    }
}
