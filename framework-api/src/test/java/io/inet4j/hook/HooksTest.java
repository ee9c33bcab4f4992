package io.inet4j.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Pins {@link Hooks}: nothing enabled at first, and each hook point's bit switches on and off on its own. */
class HooksTest {
    private final Hooks hooks = new Hooks();

    private EnumSet<HookPoint> enabled() {
        EnumSet<HookPoint> on = EnumSet.noneOf(HookPoint.class);
        for (HookPoint p : HookPoint.values()) if (hooks.enabled(p)) on.add(p);
        return on;
    }

    @Test
    void nothingIsEnabledAtFirst() {
        assertThat(enabled()).isEmpty();
    }

    @Test
    void eachPointIsItsOwnBit() {
        for (HookPoint p : HookPoint.values()) {
            hooks.setEnabled(p, true);
            assertThat(enabled()).containsExactly(p);
            hooks.setEnabled(p, true);
            assertThat(enabled()).as("enabling twice is still one bit").containsExactly(p);
            hooks.setEnabled(p, false);
            assertThat(enabled()).isEmpty();
        }
    }

    @Test
    void disablingOnePointLeavesTheOthers() {
        hooks.setEnabled(HookPoint.INET4_CONNECT, true);
        hooks.setEnabled(HookPoint.POST_ROUTING, true);
        hooks.setEnabled(HookPoint.INET4_BIND, true);
        hooks.setEnabled(HookPoint.POST_ROUTING, false);
        hooks.setEnabled(HookPoint.LOCAL_IN, false);
        assertThat(enabled()).containsExactlyInAnyOrder(HookPoint.INET4_CONNECT, HookPoint.INET4_BIND);
    }
}
