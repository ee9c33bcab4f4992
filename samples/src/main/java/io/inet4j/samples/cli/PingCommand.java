package io.inet4j.samples.cli;

import io.inet4j.samples.ping.Pinger;
import io.inet4j.socket.SockAddrIn;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inet4j ping}: echo requests from a stack on a TAP device, printed like iputils ping. */
@Command(name = "ping", description = "Ping DEST from a stack on a TAP device.")
public final class PingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TapOptions tap;

    @Option(names = "-c", defaultValue = "4", converter = Values.Positive.class, description = "Number of echo requests (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "-s", defaultValue = "56", description = "Payload bytes (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "-i", defaultValue = "1.0", converter = Values.Seconds.class, description = "Seconds between requests (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "-W", defaultValue = "2", converter = Values.Seconds.class, description = "Seconds to wait for each reply (default ${DEFAULT-VALUE}).")
    double timeout;

    @Parameters(index = "0", converter = Values.Address.class, description = "Destination address.")
    String dest;

    @Override
    public Integer call() throws Exception {
        if (size < 0 || size > 65507) throw new ParameterException(spec.commandLine(), "Invalid value for option '-s': '" + size + "' is not a payload size (0-65507)");
        try (TapOptions.Opened opened = tap.open("ping")) {
            Pinger.Result r = new Pinger(opened.stack(), System.out).ping(SockAddrIn.parseAddress(dest), count, size,
                    (long) (interval * 1000), (long) (timeout * 1000));
            return r.received() > 0 ? 0 : 1;
        }
    }
}
