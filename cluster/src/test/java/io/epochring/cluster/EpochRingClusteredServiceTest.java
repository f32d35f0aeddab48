package io.epochring.cluster;

import io.epochring.EpochRing;
import io.epochring.testing.LedgerFlusher;
import io.epochring.testing.PutCodec;
import io.epochring.testing.RecordingDelta;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpochRingClusteredServiceTest {

    @Test
    void aRingWithoutAJournalIsRefusedWithWhatToDo() {
        try (var ring = EpochRing.builder(new RecordingDelta(), new LedgerFlusher(true)).channel("cluster", 16).build().start()) {
            assertThatThrownBy(() -> new EpochRingClusteredService<>(ring, "cluster", new PutCodec()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no journal")
                    .hasMessageContaining("EpochRingBuilder.journal");
        }
    }
}
