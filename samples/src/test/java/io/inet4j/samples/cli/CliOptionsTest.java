package io.inet4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inet4j.netdev.FaultInjectingLink;
import io.inet4j.ipv4.route.RouteMetrics;
import io.inet4j.netdev.InMemoryLink;
import io.inet4j.stack.StackConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Pins how each command parses the command lines of the README and the interop tests: the options of the
 * {@link TapOptions} and {@link FaultOptions} mixins land in the mixin whatever their position, with the defaults
 * the commands had before the options were shared, and the command's own options stay its own.
 */
class CliOptionsTest {
    private static final String[] TAP = {"--tap", "i4j3", "--addr", "10.77.3.2/24", "--peer-netns", "lab3",
            "--peer-addr", "10.77.3.1/24"};

    @SuppressWarnings("unchecked")
    private static <T> T parse(String... args) {
        CommandLine.ParseResult r = new CommandLine(new Main()).parseArgs(args);
        return (T) r.subcommand().commandSpec().userObject();
    }

    private static String[] withTap(String... args) {
        String[] all = new String[args.length + TAP.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(TAP, 0, all, args.length, TAP.length);
        return all;
    }

    @Test
    void demoKeepsItsCountAndSharesTheFaultOption() {
        DemoCommand plain = parse("demo");
        assertThat(plain.count).isEqualTo(3);
        assertThat(plain.faults.fault).isNull();
        DemoCommand lossy = parse("demo", "-c", "5", "--fault", "loss=0.2,seed=7");
        assertThat(lossy.count).isEqualTo(5);
        assertThat(lossy.faults.fault).isEqualTo("loss=0.2,seed=7");

        InMemoryLink link = InMemoryLink.pair("x", "y", 1500)[0];
        assertThat(plain.faults.wrap(link)).isSameAs(link);
        assertThat(lossy.faults.wrap(link)).isInstanceOf(FaultInjectingLink.class);
        assertThatThrownBy(() -> parse("demo", "--fault", "jitter=1ms")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--fault").hasMessageContaining("jitter");
    }

    @Test
    void upTakesTheTapOptionsWithTheirDefaults() {
        UpCommand up = parse(withTap("up"));
        assertThat(up.tap.tap).isEqualTo("i4j3");
        assertThat(up.tap.addr).isEqualTo("10.77.3.2/24");
        assertThat(up.tap.peerNetns).isEqualTo("lab3");
        assertThat(up.tap.peerAddr).isEqualTo("10.77.3.1/24");
        assertThat(up.tap.mtu).isEqualTo(1500);
        assertThat(up.tap.gateway).isNull();
        assertThat(up.tap.mac).isNull();
        assertThat(up.tap.pcap).isNull();
        assertThat(up.tap.faults.fault).isNull();
        assertThat(up.tap.seed).isNull();
        assertThat(up.tap.sysctls).isEmpty();
    }

    @Test
    void pingMixesItsOwnOptionsWithTheSharedOnesInAnyOrder() {
        PingCommand ping = parse("ping", "-c", "20", "-i", "0.02", "-W", "0.5", "--tap", "i4j1", "--addr", "10.79.1.2/24",
                "--pcap", "/tmp/ping.pcap", "--fault", "loss=0.2,delay=1ms,seed=3", "--mtu", "9000", "--gw", "10.79.1.1",
                "--mac", "02:00:00:00:00:01", "--seed", "7", "--sysctl", "net.ipv4.ip_default_ttl=32",
                "--sysctl", "net.ipv4.tcp_sack=0", "10.79.1.1");
        assertThat(ping.count).isEqualTo(20);
        assertThat(ping.interval).isEqualTo(0.02);
        assertThat(ping.timeout).isEqualTo(0.5);
        assertThat(ping.size).isEqualTo(56);
        assertThat(ping.dest).isEqualTo("10.79.1.1");
        assertThat(ping.tap.tap).isEqualTo("i4j1");
        assertThat(ping.tap.pcap).isEqualTo(Path.of("/tmp/ping.pcap"));
        assertThat(ping.tap.faults.fault).isEqualTo("loss=0.2,delay=1ms,seed=3");
        assertThat(ping.tap.mtu).isEqualTo(9000);
        assertThat(ping.tap.gateway).isEqualTo("10.79.1.1");
        assertThat(ping.tap.mac).isEqualTo("02:00:00:00:00:01");
        assertThat(ping.tap.seed).isEqualTo(7L);
        assertThat(ping.tap.sysctls).containsExactly("net.ipv4.ip_default_ttl=32", "net.ipv4.tcp_sack=0");
    }

    @Test
    void pingDefaultsAreIputils() {
        PingCommand ping = parse(withTap("ping", "10.77.3.1"));
        assertThat(ping.count).isEqualTo(4);
        assertThat(ping.size).isEqualTo(56);
        assertThat(ping.interval).isEqualTo(1.0);
        assertThat(ping.timeout).isEqualTo(2.0);
    }

    @Test
    void httpServerAndHttpGet() {
        HttpServerCommand server = parse(withTap("http-server", "--port", "8080", "--root", "./src"));
        assertThat(server.port).isEqualTo(8080);
        assertThat(server.root).isEqualTo(Path.of("./src"));
        assertThat(server.backlog).isEqualTo(128);
        assertThat(server.tap.addr).isEqualTo("10.77.3.2/24");
        assertThat(((HttpServerCommand) parse(withTap("http-server", "--root", "."))).port).isEqualTo(80);

        HttpGetCommand get = parse(withTap("http-get", "-o", "index.html", "http://10.77.3.1:8000/"));
        assertThat(get.url).isEqualTo("http://10.77.3.1:8000/");
        assertThat(get.output).isEqualTo(Path.of("index.html"));
        assertThat(get.timeoutSeconds).isEqualTo(10);
        assertThat(get.tap.peerNetns).isEqualTo("lab3");
    }

    @Test
    void ncConnectsOrListens() {
        NcCommand connect = parse(withTap("nc", "10.77.3.1", "5001"));
        assertThat(connect.listen).isFalse();
        assertThat(connect.waitSeconds).isEqualTo(10);
        assertThat(connect.args).containsExactly("10.77.3.1", "5001");
        NcCommand listen = parse(withTap("nc", "-l", "5000", "-w", "0"));
        assertThat(listen.listen).isTrue();
        assertThat(listen.waitSeconds).isZero();
        assertThat(listen.args).containsExactly("5000");
        assertThat(listen.tap.tap).isEqualTo("i4j3");
    }

    @Test
    void theTapAndAddressAreRequiredAndTheDemoHasNoTapOptions() {
        assertThatThrownBy(() -> parse("up", "--addr", "10.77.1.2/24"))
                .isInstanceOf(CommandLine.MissingParameterException.class).hasMessageContaining("--tap");
        assertThatThrownBy(() -> parse("demo", "--tap", "i4j0")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"demo", "up", "ping", "http-server", "http-get", "nc"}) {
            CommandLine.ParseResult r = new CommandLine(new Main()).parseArgs(command, "--help");
            assertThat(r.subcommand().isUsageHelpRequested()).as(command).isTrue();
        }
    }

    @Test
    void routesAreIpRouteAddArgumentsWithTheirCongctl() {
        UpCommand up = parse(withTap("up", "--route", "10.9.0.0/16 via 10.77.3.1 congctl reno", "--route",
                "10.77.3.1 congctl lock cubic"));
        assertThat(up.tap.routes).containsExactly(
                new StackConfig.RouteSpec("10.9.0.0/16", "10.77.3.1", RouteMetrics.congctl("reno")),
                new StackConfig.RouteSpec("10.77.3.1", null, RouteMetrics.congctlLocked("cubic")));
        assertThat(((UpCommand) parse(withTap("up"))).tap.routes).isEmpty();
        assertThatThrownBy(() -> parse(withTap("up", "--route", "10.9.0.0/16 via 10.77.3.1 congctl")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--route")
                .hasMessageContaining("congctl needs an algorithm name");
        assertThatThrownBy(() -> parse(withTap("up", "--route", "10.9.0.0/33")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("prefix length");
    }
}
