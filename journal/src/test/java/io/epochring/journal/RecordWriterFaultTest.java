package io.epochring.journal;

import io.epochring.journal.support.TestDirs;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record whose write fails inside Chronicle never shows up half written: Chronicle's documents,
 * made to fail where a full disk makes them fail (copying the bytes into the mapped file, or
 * completing the document), through an appender that wraps the real one.
 */
class RecordWriterFaultTest {

    private static final InternalError FAULT = new InternalError("a fault occurred in an unsafe memory access operation (simulated)");

    @Test
    void shouldRollBackARecordWhoseBytesCouldNotAllBeCopied() throws IOException {
        // given two records in a journal
        Path dir = TestDirs.fresh("fault-copy");
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
             ExcerptAppender appender = queue.createAppender()) {
            RecordWriter writer = new RecordWriter(new SpaceReserver(queue, dir));
            write(writer, appender, 1, 0, "first");
            write(writer, appender, 2, 1, "second");

            // when the third one's bytes stop halfway into the file
            ExcerptAppender failing = failing(appender, Fault.COPY_HALFWAY);
            assertThatThrownBy(() -> write(writer, failing, 3, 2, "third, a longer record than the others")).isSameAs(FAULT);

            // then nothing of it is visible, and what Chronicle writes next starts where it started
            assertThat(epochs(queue)).containsExactly(1L, 2L);
            write(writer, appender, 3, 2, "third again");
            assertThat(epochs(queue)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void shouldReportAFailureToCompleteTheDocumentAndShowNoPartOfTheRecord() throws IOException {
        Path dir = TestDirs.fresh("fault-close-abandoned");
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
             ExcerptAppender appender = queue.createAppender()) {
            RecordWriter writer = new RecordWriter(new SpaceReserver(queue, dir));
            write(writer, appender, 1, 0, "first");

            // Chronicle gives the document up (it is never completed), then the close throws
            assertThatThrownBy(() -> write(writer, failing(appender, Fault.CLOSE_ABANDONED), 2, 1, "second")).isSameAs(FAULT);

            assertThat(epochs(queue)).containsExactly(1L);
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(1);
            ChronicleJournalTest.append(journal, 2, "a", "second again");
            journal.commit();
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(ChronicleJournalTest.Replayed::payload)
                                                               .containsExactly("first", "second again");
        }
    }

    @Test
    void shouldReportAFailureToCompleteTheDocumentEvenWhenTheRecordLanded() throws IOException {
        Path dir = TestDirs.fresh("fault-close-landed");
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
             ExcerptAppender appender = queue.createAppender()) {
            RecordWriter writer = new RecordWriter(new SpaceReserver(queue, dir));
            write(writer, appender, 1, 0, "first");

            // the record is complete, then something after it fails (Chronicle updates its index last)
            assertThatThrownBy(() -> write(writer, failing(appender, Fault.CLOSE_AFTER_COMPLETING), 2, 1, "second")).isSameAs(FAULT);

            // The record is whole, so the journal, reopened, counts it: the caller must not assume
            // either way, which is why a failed append stops the journal until it is reopened.
            assertThat(epochs(queue)).containsExactly(1L, 2L);
        }
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(2);
            ChronicleJournalTest.append(journal, 3, "a", "third");
            journal.commit();
            assertThat(ChronicleJournalTest.replay(journal, 0)).extracting(ChronicleJournalTest.Replayed::epoch)
                                                               .containsExactly(1L, 2L, 3L);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private enum Fault {
        /** Half the record's bytes reach the file, then the copy throws. */
        COPY_HALFWAY,
        /** The bytes are copied; the document is never completed, and closing it throws. */
        CLOSE_ABANDONED,
        /** The document is completed, then closing it throws. */
        CLOSE_AFTER_COMPLETING
    }

    private static void write(RecordWriter writer, ExcerptAppender appender, long epoch, long previous, String payload) throws IOException {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        writer.write(appender, RecordFormat.TYPE_WRITE, epoch, previous, writer.channelBytes("a"), new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** @return the epochs of the records in the queue, each read and verified, the chain checked */
    static List<Long> epochs(SingleChronicleQueue queue) {
        List<Long> epochs = new ArrayList<>();
        try (JournalCursor cursor = new JournalCursor(queue)) {
            cursor.toStart();
            while (cursor.next()) {
                epochs.add(cursor.record.epoch);
            }
        }
        return epochs;
    }

    /** An appender like {@code real} whose next document fails as {@code fault} says. */
    private static ExcerptAppender failing(ExcerptAppender real, Fault fault) {
        return proxy(ExcerptAppender.class, real, (method, args) -> {
            if (method.getName().equals("writingDocument") && method.getParameterCount() == 0) {
                DocumentContext document = real.writingDocument();
                return failingDocument(document, fault);
            }
            return null;
        });
    }

    private static DocumentContext failingDocument(DocumentContext real, Fault fault) {
        return proxy(DocumentContext.class, real, (method, args) -> {
            if (method.getName().equals("wire") && method.getParameterCount() == 0 && fault == Fault.COPY_HALFWAY) {
                Wire wire = real.wire();
                return proxy(Wire.class, wire, (wireMethod, wireArgs) -> wireMethod.getName().equals("bytes") ? failingBytes(wire.bytes()) : null);
            }
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                if (fault == Fault.CLOSE_ABANDONED) {
                    real.rollbackOnClose();
                    real.close();
                    throw FAULT;
                }
                if (fault == Fault.CLOSE_AFTER_COMPLETING) {
                    real.close();
                    throw FAULT;
                }
            }
            return null;
        });
    }

    private static Bytes<?> failingBytes(Bytes<?> real) {
        return proxy(Bytes.class, real, (method, args) -> {
            if (method.getName().equals("write") && method.getParameterCount() == 3 && args[0] instanceof byte[] array) {
                int offset = (int) args[1];
                int length = (int) args[2];
                real.write(array, offset, length / 2);
                throw FAULT;
            }
            return null;
        });
    }

    /** What a wrapper does with a call: a result, or null to pass it on to the real object. */
    @FunctionalInterface
    private interface Interception {
        Object call(Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, T real, Interception interception) {
        InvocationHandler handler = (self, method, args) -> {
            Object result = interception.call(method, args);
            if (result != null) {
                return result;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
