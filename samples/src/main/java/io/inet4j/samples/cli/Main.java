package io.inet4j.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code inet4j} command line: a stack in a JVM, driven like the Linux networking tools. The TAP commands share
 * their options through the {@link TapOptions} mixin, the demo and they the {@code --fault} of {@link FaultOptions};
 * {@code --help} and {@code --version} reach every subcommand by inheritance.
 */
@Command(name = "inet4j", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "inet4j 0.1.0",
        description = "A user-space TCP/IPv4 stack for the JVM.",
        subcommands = {DemoCommand.class, UpCommand.class, PingCommand.class, HttpServerCommand.class,
                HttpGetCommand.class, NcCommand.class, PacketdrillCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
