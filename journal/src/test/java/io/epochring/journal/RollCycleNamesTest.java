package io.epochring.journal;

import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RollCycleNamesTest {

    @Test
    void shouldNumberFilesOnDiskAsChronicleNumbersTheirCycles() throws IOException {
        long millis = TimeUnit.SECONDS.toMillis(1_700_000_123L);
        for (RollCycle rollCycle : new RollCycle[] {RollCycles.FAST_HOURLY, RollCycles.FAST_DAILY, RollCycles.TEN_MINUTELY,
                                                    TestRollCycles.TEST_SECONDLY}) {
            Path dir = TestDirs.fresh("roll-cycle-names");
            long[] times = {millis, millis + rollCycle.lengthInMillis(), millis + 5L * rollCycle.lengthInMillis()};
            for (long time : times) {
                String name = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(time));
                Files.createFile(dir.resolve(name + ".cq4"));
            }
            Files.createFile(dir.resolve("metadata.cq4t"));

            assertThat(RollCycleNames.cyclesOnDisk(dir, rollCycle, 0)).as("%s", rollCycle).containsExactly(
                    (long) rollCycle.current(new SetTimeProvider(times[0] * 1_000_000), 0),
                    (long) rollCycle.current(new SetTimeProvider(times[1] * 1_000_000), 0),
                    (long) rollCycle.current(new SetTimeProvider(times[2] * 1_000_000), 0));
        }
    }

    @Test
    void shouldNameAFileThatIsNotOfTheRollCyclesPattern() throws IOException {
        Path dir = TestDirs.fresh("roll-cycle-names-foreign");
        Files.createFile(dir.resolve("not-a-cycle.cq4"));

        assertThatThrownBy(() -> RollCycleNames.cyclesOnDisk(dir, RollCycles.FAST_HOURLY, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-a-cycle.cq4")
                .hasMessageContaining("FAST_HOURLY");
    }
}
