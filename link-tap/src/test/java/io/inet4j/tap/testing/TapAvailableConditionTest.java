package io.inet4j.tap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

class TapAvailableConditionTest {
    @Test
    void aReadyMachineEnablesTheTest() {
        ConditionEvaluationResult r = new TapAvailableCondition(Optional::empty, true).evaluateExecutionCondition(null);

        assertThat(r.isDisabled()).isFalse();
    }

    @Test
    void aMissingPieceSkipsWithTheReason() {
        ConditionEvaluationResult r = new TapAvailableCondition(() -> Optional.of("not root"), false)
                .evaluateExecutionCondition(null);

        assertThat(r.isDisabled()).isTrue();
        assertThat(r.getReason()).contains("TAP interop test skipped: not root");
    }

    @Test
    void whenInteropIsRequiredAMissingPieceFails() {
        TapAvailableCondition c = new TapAvailableCondition(() -> Optional.of("not root"), true);

        assertThatThrownBy(() -> c.evaluateExecutionCondition(null))
                .hasMessage("inet4j.interop.required=true but the TAP interop test cannot run: not root");
    }
}
