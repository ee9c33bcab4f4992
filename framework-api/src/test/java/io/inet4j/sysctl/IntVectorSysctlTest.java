package io.inet4j.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link IntVectorSysctl} on a {@code tcp_rmem}-like vector: white-space separated input, tab-separated
 * output as {@code sysctl} prints it, the element count and validity rule enforced, and values kept as private copies.
 */
class IntVectorSysctlTest {
    private final IntVectorSysctl rmem = new IntVectorSysctl("net.ipv4.tcp_rmem", new int[] {4096, 131072, 6291456},
            v -> v[0] >= 1 && v[0] <= v[1] && v[1] <= v[2], "min <= default <= max");

    @Test
    void printsTabSeparated() {
        assertThat(rmem.asString()).isEqualTo("4096\t131072\t6291456");
        assertThat(rmem.get(1)).isEqualTo(131072);
    }

    @Test
    void parsesAnyWhiteSpace() {
        rmem.set("  8192\t65536    1048576\n");
        assertThat(rmem.values()).containsExactly(8192, 65536, 1048576);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4096 131072", "1 2 3 4", "300 200 100", "0 1 2", "a b c", "", "4096,131072,6291456"})
    void rejectsWrongCountsBrokenRulesAndNonNumbersAndKeepsTheValue(String text) {
        assertThatThrownBy(() -> rmem.set(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("net.ipv4.tcp_rmem");
        assertThat(rmem.asString()).isEqualTo("4096\t131072\t6291456");
    }

    @Test
    void theRuleIsExplainedInTheError() {
        assertThatThrownBy(() -> rmem.set(new int[] {3, 2, 1})).hasMessageContaining("min <= default <= max");
    }

    @Test
    void valuesAreCopiedInAndOut() {
        int[] in = {1, 2, 3};
        rmem.set(in);
        in[0] = 99;
        int[] out = rmem.values();
        out[1] = 99;
        assertThat(rmem.values()).containsExactly(1, 2, 3);
    }
}
