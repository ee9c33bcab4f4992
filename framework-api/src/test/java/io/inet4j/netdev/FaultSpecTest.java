package io.inet4j.netdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the command-line fault syntax {@code loss=..,dup=..,reorder=..,corrupt=..,delay=..,seed=..}: every key,
 * the {@code us}/{@code ms}/{@code s} units (bare numbers are milliseconds), defaults, and an
 * IllegalArgumentException naming the problem for unknown keys and bad values.
 */
class FaultSpecTest {
    @Test
    void parsesEveryKey() {
        FaultSpec s = FaultSpec.parse("loss=0.01,dup=0.02,reorder=0.03,corrupt=0.004,delay=2ms,seed=7");
        assertThat(s).isEqualTo(new FaultSpec(0.01, 0.02, 0.03, 0.004, 2_000_000L, 7));
    }

    @Test
    void keysAreCaseInsensitiveSpacedAndDuplicateIsAnAliasOfDup() {
        FaultSpec s = FaultSpec.parse(" LOSS = 0.5 , Duplicate=1 ,, seed=-3 ");
        assertThat(s.loss()).isEqualTo(0.5);
        assertThat(s.duplicate()).isEqualTo(1.0);
        assertThat(s.seed()).isEqualTo(-3);
    }

    @Test
    void emptyMeansNoFaultsAndSeedOne() {
        assertThat(FaultSpec.parse("")).isEqualTo(new FaultSpec(0, 0, 0, 0, 0, 1));
    }

    @ParameterizedTest(name = "delay={0}")
    @CsvSource({"250us, 250000", "2ms, 2000000", "1.5s, 1500000000", "0.5ms, 500000", "3, 3000000", "2MS, 2000000",
            "0, 0", "0s, 0"})
    void delayUnits(String text, long nanos) {
        assertThat(FaultSpec.parse("delay=" + text).delayNanos()).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jitter=1ms", "rate=1", "loss", "loss=", "loss=abc", "loss=1.5", "loss=-0.1", "loss=NaN",
            "dup=2", "reorder=-1", "corrupt=x", "delay=-1ms", "delay=5m", "delay=abc", "delay=ms", "delay=1h",
            "delay=NaN", "delay=Infinity", "delay=2d", "seed=1.5", "seed=x"})
    void rejectsUnknownKeysAndBadValues(String text) {
        assertThatThrownBy(() -> FaultSpec.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorsSayWhatWasWrong() {
        assertThatThrownBy(() -> FaultSpec.parse("jitter=1ms")).hasMessageContaining("jitter").hasMessageContaining("known");
        assertThatThrownBy(() -> FaultSpec.parse("loss=abc")).hasMessageContaining("loss").hasMessageContaining("abc");
        assertThatThrownBy(() -> FaultSpec.parse("loss=1.5")).hasMessageContaining("probability");
        assertThatThrownBy(() -> FaultSpec.parse("seed")).hasMessageContaining("key=value");
    }

    @Test
    void theRecordChecksItsOwnValues() {
        assertThatThrownBy(() -> new FaultSpec(0, 0, 0, 1.01, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultSpec(0, 0, 0, 0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new FaultSpec(1, 1, 1, 1, 0, 0).loss()).isEqualTo(1.0);
    }
}
