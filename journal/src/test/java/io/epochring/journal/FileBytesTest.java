package io.epochring.journal;

import io.epochring.journal.support.TestDirs;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The structure check reads index entries with {@link FileBytes#readAhead()} on: every read must
 * give what a read straight from the file gives, wherever it falls against what was read ahead,
 * and the end of the file must be reported as it is without reading ahead.
 */
class FileBytesTest {

    @Test
    void shouldReadTheSameBytesWithReadAheadAsStraightFromTheFile() throws IOException {
        // given a file of random bytes, several read-ahead windows long and not a multiple of one
        Path file = TestDirs.fresh("file-bytes").resolve("bytes");
        byte[] content = new byte[3 * FileBytes.READ_AHEAD + 1_234];
        new Random(7).nextBytes(content);
        Files.write(file, content);
        ByteBuffer expected = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);

        try (FileBytes ahead = FileBytes.open(file); FileBytes straight = FileBytes.open(file)) {
            ahead.readAhead();
            // when reading forward in uneven steps, straddling every window's end, and then backwards
            for (long offset = 0; offset + 8 <= content.length; offset += 1_021) {
                // then each int and long is the file's
                assertThat(ahead.longAt(offset)).isEqualTo(straight.longAt(offset)).isEqualTo(expected.getLong((int) offset));
                assertThat(ahead.intAt(offset + 4)).isEqualTo(expected.getInt((int) offset + 4));
            }
            for (long offset = FileBytes.READ_AHEAD - 4; offset >= 0; offset -= 4_093) {
                assertThat(ahead.intAt(offset)).isEqualTo(expected.getInt((int) offset));
            }
            long lastLong = content.length - 8;
            assertThat(ahead.longAt(lastLong)).isEqualTo(expected.getLong((int) lastLong));
        }
    }

    @Test
    void shouldReportTheEndOfTheFileWithReadAheadAsWithout() throws IOException {
        // given a file of 100 bytes
        Path file = TestDirs.fresh("file-bytes-end").resolve("bytes");
        Files.write(file, new byte[100]);

        try (FileBytes in = FileBytes.open(file)) {
            in.readAhead();
            // when reading across its end, then past it: the same error as a straight read
            assertThatThrownBy(() -> in.longAt(96)).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> in.intAt(100)).isInstanceOf(EOFException.class);
            // and the last whole int is still read
            assertThat(in.intAt(96)).isZero();
        }
    }

    @Test
    void shouldSeeBytesWrittenSinceOnceTheReadAheadIsDiscarded() throws IOException {
        // given bytes read ahead from a file that a writer then changes
        Path file = TestDirs.fresh("file-bytes-discard").resolve("bytes");
        Files.write(file, new byte[4_096]);
        try (FileBytes in = FileBytes.open(file)) {
            in.readAhead();
            assertThat(in.intAt(1_024)).isZero();
            byte[] word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x1234_5678).array();
            Files.write(file, word, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(word), 1_024);
            }

            // when the reader discards what it read ahead, as it does on learning the file moved on
            in.discardReadAhead();

            // then it reads what is in the file now, the grown end included
            assertThat(in.intAt(1_024)).isEqualTo(0x1234_5678);
            assertThat(in.intAt(4_096)).isEqualTo(0x1234_5678);
        }
    }
}
