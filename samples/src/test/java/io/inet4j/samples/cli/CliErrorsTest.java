package io.inet4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * People, not stack traces: every bad value, missing option or impossible lab is one line on stderr naming the
 * option and the problem, with exit status 2, before anything (a TAP, a namespace) is created; {@code --debug}
 * adds the trace; help works for every command and never breaks a value across lines.
 */
class CliErrorsTest {
    private record Outcome(int status, String err) {
        List<String> lines() { return err.lines().toList(); }
    }

    private static Outcome run(String line) {
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(err, true), line.split(" "));
        return new Outcome(status, err.toString());
    }

    private static final String LAB = " --tap i4jcli0 --addr 10.77.9.2/24 --peer-netns i4jcli --peer-addr 10.77.9.1/24";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "up --tap i4jcli0 --addr 10.77.9.2 |inet4j up: Invalid value for option '--addr': '10.77.9.2' has no prefix length",
        "up --tap i4jcli0 --addr 10.77.9.300/24 |'10.77.9.300' is not an IPv4 address",
        "up --tap i4jcli0 --addr 10.77.9.2/33 |Invalid value for option '--addr': '33' is not a prefix length (0-32)",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --mac 02:00:zz:00:00:01 |Invalid value for option '--mac': '02:00:zz:00:00:01' is not a MAC address",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --mtu 40 |Invalid value for option '--mtu': '40' is not an MTU (68-65521)",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --mtu big |Invalid value for option '--mtu': 'big' is not an MTU",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --gw 10.77.9 |Invalid value for option '--gw': '10.77.9' is not an IPv4 address",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --fault jitter=1ms |Invalid value for option '--fault': unknown fault 'jitter'",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --sysctl net.ipv4.ip_default_ttl |'net.ipv4.ip_default_ttl' is not name=value (e.g. net.ipv4.ip_default_ttl=32)",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --pcap /nonexistent-dir/x.pcap |Invalid value for option '--pcap': '/nonexistent-dir/x.pcap': directory /nonexistent-dir does not exist",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --close-timeout -1 |Invalid value for option '--close-timeout': '-1' is not a whole number >= 0",
        "up --tap this-name-is-too-long --addr 10.77.9.2/24 |Invalid value for option '--tap': 'this-name-is-too-long' is not a device name",
        "up --addr 10.77.9.2/24 |inet4j up: Missing required option: '--tap=<tap>'",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --bogus |inet4j up: Unknown option: '--bogus'",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --peer-netns i4jcli |inet4j up: --peer-netns and --peer-addr go together",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --peer-netns i4jcli --peer-addr 10.77.9.1 |Invalid value for option '--peer-addr': '10.77.9.1' has no prefix length",
        "up --tap i4jcli0 --addr 10.77.2.2/24 --peer-netns i4jcli --peer-addr 10.77.1.1/24 |inet4j up: --peer-addr 10.77.1.1/24 is not in the subnet of --addr 10.77.2.2/24 (10.77.2.0/24)",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --peer-netns i4jcli --peer-addr 10.77.9.2/24 |inet4j up: --peer-addr 10.77.9.2/24 is --addr's own address",
        "ping -s 70000 10.77.9.1 |inet4j ping: Invalid value for option '-s': '70000' is not a payload size (0-65507)",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --deny-connect 10.9.0.0/33 |Invalid value for option '--deny-connect' (CIDR[,CIDR...]): '10.9.0.0/33': '33' is not a prefix length (0-32)",
        "up --tap i4jcli0 --addr 10.77.9.2/24 --deny-connect 10.9.0.0/16,,10.8.0.1 |Invalid value for option '--deny-connect' (CIDR[,CIDR...]): '10.9.0.0/16,,10.8.0.1': '' is not an IPv4 address (write A.B.C.D)",
        "demo --redirect-connect 10.0.0.2:80 |Invalid value for option '--redirect-connect' (IP:PORT=IP:PORT): '10.0.0.2:80': no '=' (write IP:PORT=IP:PORT, e.g. 10.0.0.80:80=10.0.0.81:8080)",
        "demo --redirect-connect 10.0.0.2:80=10.0.0.3 |Invalid value for option '--redirect-connect' (IP:PORT=IP:PORT): '10.0.0.2:80=10.0.0.3': '10.0.0.3' is not IP:PORT",
        "demo --redirect-connect 10.0.0.2:80=10.0.0.3:0 |Invalid value for option '--redirect-connect' (IP:PORT=IP:PORT): '10.0.0.2:80=10.0.0.3:0': '0' is not a port (1-65535)",
        "demo --redirect-connect 10.0.0.2:80=10.0.0.3:81 --redirect-connect 10.0.0.2:80=10.0.0.4:81 |inet4j demo: --redirect-connect 10.0.0.2:80 is given twice",
        "ping -c 0 10.77.9.1 |Invalid value for option '-c': '0' is not a whole number >= 1",
        "ping -i 0 10.77.9.1 |Invalid value for option '-i': '0' is not a number of seconds > 0",
        "ping 10.77.9.x |Invalid value for positional parameter at index 0 (<dest>): '10.77.9.x' is not an IPv4 address",
        "http-server --port 0 --root . |Invalid value for option '--port': '0' is not a port (1-65535)",
        "http-server --root ./no-such-site |Invalid value for option '--root': './no-such-site' is not a directory (it does not exist)",
        "iperf3-server -p 0 |inet4j iperf3-server: Invalid value for option '--port': '0' is not a port (1-65535)",
        "iperf3-server --one-off=x |inet4j iperf3-server: Invalid value for option '--one-off': 'x' is not a boolean",
        "http-get https://10.77.9.1/ |only http://HOST[:PORT]/PATH URLs",
        "http-get http://example.com/ |the host must be an IPv4 address",
        "nc 10.77.9.1 70000 |inet4j nc: Invalid value for HOST PORT: '70000' is not a port (1-65535)",
        "nc host.example 80 |inet4j nc: Invalid value for HOST PORT: 'host.example' is not an IPv4 address",
        "nc -l |inet4j nc: Missing required parameter: 'HOST PORT",
        "nc -l 10.77.9.1 80 |inet4j nc: nc -l takes one PORT",
        "nc -w x 10.77.9.1 80 |Invalid value for option '-w': 'x' is not a whole number >= 0",
        "demo -c many |inet4j demo: Invalid value for option '-c': 'many' is not a whole number >= 1",
        "packetdrill --tolerance-usecs -5 x.pkt |Invalid value for option '--tolerance-usecs': '-5' is not a whole number >= 0",
        "bogus |inet4j: Unmatched argument at index 0: 'bogus'",
    })
    void aBadValueIsOneLineNamingItWithStatus2(String args, String message) {
        boolean tapCommand = !args.startsWith("demo") && !args.startsWith("packetdrill") && !args.startsWith("bogus")
                && !args.startsWith("up");
        Outcome o = run(args.strip() + (tapCommand ? LAB : ""));
        assertThat(o.status()).as(o.err()).isEqualTo(2);
        assertThat(o.lines()).as(o.err()).hasSize(1);
        assertThat(o.err()).contains(message.strip()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void debugAddsTheStackTrace() {
        Outcome o = run("ping -s 70000 10.77.9.1 --debug" + LAB);
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.lines().get(0)).contains("'70000' is not a payload size");
        assertThat(o.err()).contains("\tat ");
    }

    @Test
    void helpForEveryCommand() {
        Outcome top = run("help");
        assertThat(top.status()).isZero();
        CommandLine cl = new CommandLine(new Main());
        for (String name : cl.getSubcommands().keySet()) {
            if (name.equals("help")) continue;
            assertThat(top.err() + runOut("help")).contains(name);
            for (String form : List.of(name + " --help", name + " -h", "help " + name)) {
                StringWriter out = new StringWriter();
                CommandLine c = new CommandLine(new Main());
                c.setOut(new PrintWriter(out, true));
                assertThat(c.execute(form.split(" "))).as(form).isZero();
                assertThat(out.toString()).as(form).contains("Usage: inet4j " + name);
            }
        }
    }

    private static String runOut(String args) {
        StringWriter out = new StringWriter();
        CommandLine c = new CommandLine(new Main());
        c.setOut(new PrintWriter(out, true));
        c.execute(args.split(" "));
        return out.toString();
    }

    @Test
    void noCommandShowsTheCommandsAndFails() {
        StringWriter err = new StringWriter();
        Outcome o = new Outcome(Main.run(new PrintWriter(err, true)), err.toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("Usage: inet4j").contains("nc").contains("packetdrill");
    }

    /** Every word of every option's description appears whole in the help, so no value was broken across lines. */
    @Test
    void helpNeverBreaksAValue() {
        CommandLine root = new CommandLine(new Main());
        root.setUsageHelpWidth(Main.USAGE_WIDTH);
        List<CommandSpec> specs = new ArrayList<>();
        specs.add(root.getCommandSpec());
        root.getSubcommands().values().forEach(c -> specs.add(c.getCommandSpec()));
        for (CommandSpec spec : specs) {
            String help = spec.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
            for (OptionSpec o : spec.options()) {
                for (String d : o.description()) {
                    String text = d.replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()));
                    for (String word : text.split("\\s+")) {
                        assertThat(help).as(spec.qualifiedName() + " " + o.longestName()).contains(word);
                    }
                }
            }
        }
    }
}
