package io.epochring.cluster;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterMemberTuningTest {

    @Test
    void takesAeronTermLengthsWhoseArchiveSegmentFitsAndRefusesOthersSayingWhy() {
        assertThat(new ClusterMember.Tuning(BackoffIdleStrategy::new, 64 * 1024).logTermLength()).isEqualTo(64 * 1024);
        assertThat(new ClusterMember.Tuning(BackoffIdleStrategy::new, 256 * 1024 * 1024).logTermLength()).isEqualTo(256 * 1024 * 1024);
        for (int bad : new int[] {0, 32 * 1024, 3 * 64 * 1024, 512 * 1024 * 1024}) {
            assertThatThrownBy(() -> new ClusterMember.Tuning(BackoffIdleStrategy::new, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power of two from 64 KiB to 256 MiB")
                    .hasMessageContaining("was " + bad);
        }
        assertThatThrownBy(() -> new ClusterMember.Tuning(null, 64 * 1024)).isInstanceOf(NullPointerException.class);
    }
}
