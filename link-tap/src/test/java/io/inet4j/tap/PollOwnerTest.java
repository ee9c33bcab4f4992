package io.inet4j.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The hand-off of a TAP's descriptor between its reader and callers waiting for their sockets, without a device. */
class PollOwnerTest {
    private final PollOwner owner = new PollOwner();

    @Test
    void theReaderHoldsItUntilACallerAsksAndTheReaderYields() {
        assertThat(owner.state()).isEqualTo(PollOwner.READER);

        assertThat(owner.tryCaller()).as("the first caller kicks the reader").isEqualTo(PollOwner.KICK_READER);
        assertThat(owner.tryCaller()).as("one kick is enough").isEqualTo(PollOwner.BUSY);
        assertThat(owner.readerYields()).isTrue();
        assertThat(owner.state()).isEqualTo(PollOwner.FREE);
        assertThat(owner.readerYields()).as("the wish is used up").isFalse();

        assertThat(owner.tryCaller()).isEqualTo(PollOwner.TAKEN);
        assertThat(owner.takes()).isEqualTo(1);
        assertThat(owner.tryCaller()).as("one poller at a time").isEqualTo(PollOwner.BUSY);
        assertThat(owner.tryReader()).isFalse();
    }

    @Test
    void aReaderThatWasNotAskedKeepsTheDescriptor() {
        assertThat(owner.readerYields()).isFalse();
        assertThat(owner.state()).isEqualTo(PollOwner.READER);
    }

    @Test
    void aCallerLeavingKicksTheReaderOnlyWhenItDozes() {
        owner.tryCaller();
        owner.readerYields();
        owner.tryCaller();

        assertThat(owner.releaseCaller()).as("the reader looks on its own every deferral").isFalse();

        owner.tryCaller();
        assertThat(owner.readerDozes()).isTrue();
        assertThat(owner.releaseCaller()).as("a dozing reader is kicked").isTrue();
        owner.readerAwake();
        assertThat(owner.tryReader()).isTrue();
    }

    @Test
    void theReaderDoesNotDozeWhenTheDescriptorCameFree() {
        owner.tryCaller();
        owner.readerYields();

        assertThat(owner.readerDozes()).as("nobody holds it: the reader takes it instead").isFalse();
        owner.tryCaller();
        assertThat(owner.releaseCaller()).as("no dozing reader to kick").isFalse();
    }

    @Test
    void aWishLeftWhenTheReaderLetGoMeanwhileDoesNotSilenceLaterCallers() {
        owner.tryCaller();
        owner.readerYields();
        owner.tryCaller();
        owner.releaseCaller();
        assertThat(owner.tryReader()).isTrue();
        owner.releaseReader();
        // A caller saw the reader holding it and wished, but the reader let go before it looked at the wish.
        assertThat(owner.tryReader()).isTrue();
        assertThat(owner.tryCaller()).isEqualTo(PollOwner.KICK_READER);
        owner.releaseReader();
        assertThat(owner.tryReader()).isTrue();

        assertThat(owner.tryCaller()).as("the reader took it back: the next caller asks again")
                .isEqualTo(PollOwner.KICK_READER);
    }

    @Test
    void onlyTheHolderGivesItBack() {
        assertThatThrownBy(owner::releaseCaller).isInstanceOf(IllegalStateException.class);
        owner.tryCaller();
        owner.readerYields();
        assertThatThrownBy(owner::releaseReader).isInstanceOf(IllegalStateException.class);
    }
}
