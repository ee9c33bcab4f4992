package io.inet4j.samples.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code inet4j} command line: a stack in a JVM, driven like the Linux networking tools. The TAP commands share
 * their options through the {@link TapOptions} mixin, the demo and they the {@code --fault} of {@link FaultOptions};
 * {@code --help}, {@code --version} and {@code --debug} reach every subcommand by inheritance.
 *
 * <p>People, not stack traces: a bad value or a missing option is one line on stderr naming the option and the
 * problem, with exit status 2; a failure while running is one line too, with the command's own status (1 unless it
 * says otherwise). {@code --debug} adds the stack trace.
 */
@Command(name = "inet4j", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "inet4j 0.1.0",
        description = "A user-space TCP/IPv4 stack for the JVM.",
        subcommands = {DemoCommand.class, UpCommand.class, PingCommand.class, HttpServerCommand.class,
                HttpGetCommand.class, NcCommand.class, Iperf3ServerCommand.class, PacketdrillCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Wide enough that no option's example value has to be broken across lines. */
    static final int USAGE_WIDTH = 110;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
    boolean debug;

    /** {@code inet4j} alone: say what there is to run, and fail as a usage error does. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.err, true), args));
    }

    /** Runs one command line, messages to {@code err}; returns the exit status. */
    public static int run(PrintWriter err, String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(err);
        cl.setUsageHelpWidth(USAGE_WIDTH);
        cl.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            err.println(name(e.getCommandLine()) + ": " + firstLine(e.getMessage())
                    + " (see: " + name(e.getCommandLine()) + " --help)");
            if (debug) e.printStackTrace(err);
            return 2;
        });
        cl.setExecutionExceptionHandler((Exception e, CommandLine c, ParseResult r) -> {
            err.println(name(c) + ": " + describe(e));
            if (debug) e.printStackTrace(err);
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }

    private static String name(CommandLine c) { return c.getCommandSpec().qualifiedName(); }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return firstLine(m);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
