package io.inet4j.loop;

import java.util.ArrayList;
import java.util.List;

/** What the timer wheel's tests share: a wheel on a clock they move by hand, and a log of what fired when. */
abstract class WheelFixture {
    static final long MS = 1_000_000L;

    long now;
    TimerWheel wheel = new TimerWheel(0, MS);
    final List<String> fired = new ArrayList<>();

    /** A timer that logs {@code name@now} when it fires. */
    Timer timer(String name) { return new Timer(() -> fired.add(name + "@" + now)); }

    /** Moves time to {@code t} and lets the wheel fire what is due. */
    int advanceTo(long t) {
        now = t;
        return wheel.advance(t);
    }
}
