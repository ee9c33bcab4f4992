package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The hand-off of a TAP's descriptor between its reader and callers waiting for their sockets, without a device. */
class PollOwnerTest {
    private final PollOwner owner = new PollOwner();
    /** The callers' clock ({@code System.nanoTime}); only the contention rule reads it. */
    private long now = 1_000_000_000L;

    /** The state after the reader handed the descriptor to one asking caller. */
    private void callerHoldsIt() {
        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.ASK);
        assertThat(owner.handOff()).isTrue();
        assertThat(owner.askAnswered()).isTrue();
    }

    @Test
    void theReaderHoldsItUntilACallerAsksThenHandsItOver() {
        assertThat(owner.state()).isEqualTo(PollOwner.READER);

        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.ASK);
        assertThat(owner.state()).isEqualTo(PollOwner.ASKED);
        assertThat(owner.tryCaller(now)).as("one caller asks").isEqualTo(PollOwner.REFUSED);
        assertThat(owner.handOff()).isTrue();
        assertThat(owner.askAnswered()).isTrue();

        assertThat(owner.state()).isEqualTo(PollOwner.CALLER);
        assertThat(owner.takes()).isEqualTo(1);
        assertThat(owner.tryCaller(now)).as("one poller at a time").isEqualTo(PollOwner.REFUSED);
        assertThat(owner.tryReader()).isFalse();
    }

    @Test
    void aCallerThatGivesUpWaitingLeavesTheReaderOnIt() {
        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.ASK);

        assertThat(owner.askAnswered()).as("withdrawn").isFalse();

        assertThat(owner.state()).isEqualTo(PollOwner.READER);
        assertThat(owner.handOff()).as("nobody to hand it to").isFalse();
        assertThat(owner.takes()).isZero();
    }

    @Test
    void aReaderLettingGoWhileACallerAsksHandsItToThatCaller() {
        callerHoldsIt();
        owner.releaseCaller();
        assertThat(owner.tryReader()).as("a look").isTrue();
        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.ASK);

        assertThat(owner.releaseReader()).as("handed over, so the caller must be kicked").isTrue();

        assertThat(owner.askAnswered()).isTrue();
        assertThat(owner.takes()).isEqualTo(2);
    }

    @Test
    void aCallerLeavingKicksTheReaderWhenItDozes() {
        callerHoldsIt();
        assertThat(owner.releaseCaller()).as("the reader looks on its own every deferral").isFalse();

        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.TAKEN);
        assertThat(owner.readerDozes()).isTrue();
        assertThat(owner.releaseCaller()).isTrue();
        owner.readerAwake();
        assertThat(owner.tryReader()).isTrue();
    }

    @Test
    void aCallerLeavingKicksTheReaderWhenAnotherWasTurnedAwayAndSleepsWithoutPolling() {
        callerHoldsIt();
        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.REFUSED);

        assertThat(owner.releaseCaller()).isTrue();

        assertThat(owner.takeContended()).as("the reader must keep reading for it").isTrue();
        assertThat(owner.takeContended()).as("once").isFalse();
    }

    @Test
    void aSleeperThatDoesNotPollIsNewsOnceAndTheReaderKeepsReadingForIt() {
        callerHoldsIt();
        owner.releaseCaller();

        assertThat(owner.sleeperWithoutPoll()).as("the first kicks the deferring reader").isTrue();
        assertThat(owner.sleeperWithoutPoll()).as("the next need not: the reader has not looked yet").isFalse();
        assertThat(owner.tryReader()).isTrue();
        assertThat(owner.takeContended()).as("so the reader takes the descriptor back for good").isTrue();
        assertThat(owner.sleeperWithoutPoll()).as("news again after the reader's look").isTrue();
    }

    @Test
    void theReaderDoesNotDozeWhenTheDescriptorCameFree() {
        callerHoldsIt();
        owner.releaseCaller();

        assertThat(owner.readerDozes()).as("nobody holds it: the reader looks again instead").isFalse();
        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.TAKEN);
        assertThat(owner.releaseCaller()).as("no dozing reader to kick").isFalse();
    }

    @Test
    void onlyTheHolderGivesItBack() {
        assertThatThrownBy(owner::releaseCaller).isInstanceOf(IllegalStateException.class);
        callerHoldsIt();
        assertThatThrownBy(owner::releaseReader).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onceCallersCompeteTheyLeaveTheDescriptorWithTheReaderForAWhile() {
        callerHoldsIt();
        assertThat(owner.tryCaller(now)).as("turned away by the polling caller").isEqualTo(PollOwner.REFUSED);
        assertThat(owner.releaseCaller()).isTrue();
        assertThat(owner.tryReader()).isTrue();
        assertThat(owner.takeContended()).as("the reader takes it back for good").isTrue();

        now += PollOwner.CONTENDED_NANOS - 1;
        assertThat(owner.tryCaller(now)).as("the reader serves it: no asking").isEqualTo(PollOwner.REFUSED);
        assertThat(owner.state()).isEqualTo(PollOwner.READER);
        assertThat(owner.takeContended()).as("a caller left with the reader is no news to it").isFalse();

        now += 1;
        assertThat(owner.tryCaller(now)).as("the crowd has gone: a lone waiter polls again").isEqualTo(PollOwner.ASK);
    }

    @Test
    void aLoneCallerNeverTurnedAwayAlwaysAsks() {
        assertThat(owner.tryCaller(0)).as("a clock reading zero is no contention").isEqualTo(PollOwner.ASK);
        assertThat(owner.askAnswered()).isFalse();
        now += 3 * PollOwner.CONTENDED_NANOS;
        assertThat(owner.tryCaller(now)).isEqualTo(PollOwner.ASK);
    }

    /**
     * A caller whose wait for the hand-off ran out withdrew its request just after the reader's first try to let
     * go (the descriptor was asked for, so not the reader's alone) and before its second (hand it to the asker):
     * the descriptor was the reader's again, and the reader died of "does not hold the descriptor", leaving the TAP
     * deaf in the middle of a bulk transfer (bulk.sh, 2026-12-02). Only a preemption opens that window, so the
     * withdrawal is played here at that point.
     */
    @Test
    void aCallerWithdrawingBetweenTheReadersTwoTriesToLetGoLeavesTheDescriptorFree() {
        PollOwner racing = new PollOwner() {
            private boolean withdrawing = true;

            @Override
            boolean cas(int expect, int update) {
                boolean done = super.cas(expect, update);
                if (!done && expect == READER && update == FREE && withdrawing) {
                    withdrawing = false;
                    assertThat(askAnswered()).as("the caller withdraws").isFalse();
                }
                return done;
            }
        };
        racing.tryCaller(now); // the reader holds it: this caller asks
        assertThat(racing.state()).isEqualTo(PollOwner.ASKED);

        assertThat(racing.releaseReader()).as("nobody asks any more: nobody to kick").isFalse();

        assertThat(racing.state()).isEqualTo(PollOwner.FREE);
        assertThat(racing.tryCaller(now)).isEqualTo(PollOwner.TAKEN);
    }
}
