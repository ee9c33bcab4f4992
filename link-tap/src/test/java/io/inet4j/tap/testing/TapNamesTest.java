package io.inet4j.tap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TapNamesTest {
    @Test
    void interfaceNamesFitFifteenBytesAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String name = TapNames.unique("bench");
            assertThat(name).startsWith("i4jbench").hasSizeLessThanOrEqualTo(15).matches("[a-z0-9]+");
            assertThat(seen.add(name)).as("repeated %s", name).isTrue();
        }
    }

    @Test
    void aPrefixThatWouldOverflowTheNameIsRefused() {
        assertThat(TapNames.unique("sixsix")).hasSize(15);
        assertThatThrownBy(() -> TapNames.unique("seven77")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TapNames.unique("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namespaceNamesAreDistinctToo() {
        String a = TapNames.namespace("ns");
        String b = TapNames.namespace("ns");
        assertThat(a).startsWith("i4j-ns-").isNotEqualTo(b);
    }
}
