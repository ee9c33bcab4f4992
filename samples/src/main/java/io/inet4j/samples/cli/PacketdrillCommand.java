package io.inet4j.samples.cli;

import io.inet4j.testkit.packetdrill.PacketdrillRunner;
import io.inet4j.testkit.packetdrill.ScriptResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inet4j packetdrill}: runs scripts written in google/packetdrill's syntax, each against a fresh stack on a
 * virtual clock, and prints one PASS / FAIL / SKIP line per script (the lines it skipped or the first mismatch)
 * and a summary. Exits 0 only when every line of every script ran and matched, 1 otherwise, 2 when a script
 * cannot be read.
 */
@Command(name = "packetdrill", description = "Runs packetdrill scripts (gtests/net/tcp syntax) against one stack on a virtual clock.")
public final class PacketdrillCommand implements Callable<Integer> {
    @Option(names = "--tolerance-usecs", defaultValue = "" + PacketdrillRunner.DEFAULT_TOLERANCE_USECS, converter = Values.NonNegative.class,
            description = "Slack on every expected time, in microseconds (default ${DEFAULT-VALUE}); a script's own --tolerance_usecs may widen it.")
    int toleranceUsecs;

    @Parameters(arity = "1..*", paramLabel = "SCRIPT", description = "Script files (.pkt).")
    List<Path> scripts;

    @Spec
    CommandSpec spec;

    @Mixin
    HookOptions hooks;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : scripts) {
            if (!Files.isReadable(p)) {
                spec.commandLine().getErr().println("inet4j packetdrill: cannot read " + p);
                return 2;
            }
        }
        PacketdrillRunner runner = new PacketdrillRunner(toleranceUsecs, hooks::attach);
        Map<ScriptResult.Status, Integer> counts = new EnumMap<>(ScriptResult.Status.class);
        long start = System.nanoTime();
        for (Path p : scripts) {
            ScriptResult r;
            try {
                r = runner.run(p);
            } catch (IOException e) {
                spec.commandLine().getErr().println("inet4j packetdrill: cannot read " + p + ": " + e.getMessage());
                return 2;
            }
            counts.merge(r.status(), 1, Integer::sum);
            out.printf("%s  %s (%.3f s of virtual time)%n", r.status(), r.name(), r.virtualUsecs() / 1e6);
            for (String m : r.messages()) out.println("      " + m);
        }
        out.printf("%d scripts: %d passed, %d failed, %d with skipped lines (%.1f s)%n", scripts.size(),
                counts.getOrDefault(ScriptResult.Status.PASS, 0), counts.getOrDefault(ScriptResult.Status.FAIL, 0),
                counts.getOrDefault(ScriptResult.Status.SKIP, 0), (System.nanoTime() - start) / 1e9);
        out.flush();
        return counts.getOrDefault(ScriptResult.Status.PASS, 0) == scripts.size() ? 0 : 1;
    }
}
