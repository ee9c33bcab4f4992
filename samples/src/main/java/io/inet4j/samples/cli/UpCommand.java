package io.inet4j.samples.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code inet4j up}: a stack on a TAP device that answers ARP and ICMP until killed. */
@Command(name = "up", description = "Run a stack on a TAP device until killed (answers ARP and ping).")
public final class UpCommand implements Callable<Integer> {
    @Mixin
    TapOptions tap;

    @Override
    public Integer call() throws Exception {
        TapOptions.Opened opened = tap.open("up");
        CountDownLatch stopped = opened.closeOnExit(null);
        System.out.printf("inet4j up: %s on %s%s%n", tap.addr, opened.tap().name(),
                opened.peer() != null ? ", peer " + tap.peerAddr + " in netns " + opened.peer().name() : "");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
