package io.inet4j.tap.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit condition behind {@link RequiresTap}: enables the test when this machine can host a TAP lab
 * (CAP_NET_ADMIN for {@code drivers/net/tun.c}, CAP_SYS_ADMIN for {@code ip netns add}, {@code /dev/net/tun},
 * the {@code ip} command). Otherwise the test is skipped with the reason, or, when the system property
 * {@value #REQUIRED_PROPERTY} is {@code true}, fails with it: CI must not pass by skipping.
 */
public final class TapAvailableCondition implements ExecutionCondition {
    public static final String REQUIRED_PROPERTY = "inet4j.interop.required";

    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    private final Supplier<Optional<String>> missing;
    private final boolean required;

    public TapAvailableCondition() {
        this(() -> Machine.MISSING, Boolean.getBoolean(REQUIRED_PROPERTY));
    }

    TapAvailableCondition(Supplier<Optional<String>> missing, boolean required) {
        this.missing = missing;
        this.required = required;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> why = missing.get();
        if (why.isEmpty()) return ConditionEvaluationResult.enabled("TAP lab available");
        if (required) {
            // JUnit reports an exception from a condition as a failure of the test or class it guards.
            throw new IllegalStateException(REQUIRED_PROPERTY + "=true but the TAP interop test cannot run: " + why.get());
        }
        return ConditionEvaluationResult.disabled("TAP interop test skipped: " + why.get());
    }

    /** The machine does not change during a run: probe once, on first use. */
    private static final class Machine {
        static final Optional<String> MISSING = probe();
    }

    private static Optional<String> probe() {
        List<String> missing = new ArrayList<>();
        if (!Files.exists(Path.of("/dev/net/tun"))) missing.add("/dev/net/tun does not exist (load the tun module)");
        capabilityProblem().ifPresent(missing::add);
        if (!onPath("ip")) missing.add("the ip command (iproute2) is not on PATH");
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
    }

    /** Reads the effective capability mask rather than the uid: root in a container may lack both. */
    private static Optional<String> capabilityProblem() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (!line.startsWith("CapEff:")) continue;
                BigInteger caps = new BigInteger(line.substring("CapEff:".length()).strip(), 16);
                List<String> lacking = new ArrayList<>();
                if (!caps.testBit(CAP_NET_ADMIN)) lacking.add("CAP_NET_ADMIN");
                if (!caps.testBit(CAP_SYS_ADMIN)) lacking.add("CAP_SYS_ADMIN");
                if (lacking.isEmpty()) return Optional.empty();
                return Optional.of("the process lacks " + String.join(" and ", lacking) + " (run as root)");
            }
            return Optional.of("no CapEff line in /proc/self/status: not Linux?");
        } catch (IOException e) {
            return Optional.of("cannot read /proc/self/status (" + e.getMessage() + "): not Linux?");
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
