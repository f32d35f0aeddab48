package io.epochring.kv.cli;

import io.epochring.ThreadingMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Option value parsers that accept what people type: 1_000_000, 2M, 64MiB, 200ms. A value too
 * large for its type is refused here, never wrapped or clamped; each command then checks the
 * range that makes sense for its option.
 */
final class Converters {

    private static final Pattern NUMBER = Pattern.compile("([0-9][0-9_,]*)\\s*([a-zA-Z]*)");
    /** The longest duration: the clocks count nanoseconds in a {@code long}. */
    static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    private Converters() {
    }

    /** A count: digits with optional _ or , separators and an optional k or M suffix (x1,000 / x1,000,000). */
    static final class Count implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Matcher m = NUMBER.matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a count (examples: 1000000, 1_000_000, 2M, 500k)");
            }
            long multiplier = switch (m.group(2)) {
                case "" -> 1;
                case "k", "K" -> 1_000;
                case "m", "M" -> 1_000_000;
                default -> throw new TypeConversionException("'" + value + "' has an unknown suffix '" + m.group(2) + "' (use k or M)");
            };
            return scaled(value, digits(value, m.group(1)), multiplier);
        }
    }

    /** A size in bytes: digits and an optional binary unit (B, KiB, MiB, GiB, or k, m, g). */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Matcher m = NUMBER.matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size (examples: 4096, 64KiB, 64MiB, 1GiB)");
            }
            long multiplier = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "", "b" -> 1;
                case "k", "kb", "kib" -> 1L << 10;
                case "m", "mb", "mib" -> 1L << 20;
                case "g", "gb", "gib" -> 1L << 30;
                default -> throw new TypeConversionException("'" + value + "' has an unknown unit '" + m.group(2) + "' (use B, KiB, MiB or GiB)");
            };
            return scaled(value, digits(value, m.group(1)), multiplier);
        }
    }

    /** A duration: a number and a unit (us, ms, s, m, h), or ISO-8601 (PT0.2S). */
    static final class Time implements ITypeConverter<Duration> {
        private static final Pattern AMOUNT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(us|µs|ms|s|m|h)");
        private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

        @Override
        public Duration convert(String value) {
            String text = value.trim();
            Matcher m = AMOUNT.matcher(text.toLowerCase(Locale.ROOT));
            Duration duration;
            if (m.matches()) {
                // Exact decimal arithmetic: a double would round large amounts and saturate on overflow.
                long unitNanos = switch (m.group(2)) {
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
                if (nanos.compareTo(MAX_NANOS) > 0) {
                    throw tooLong(value);
                }
                duration = Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
            } else {
                try {
                    duration = Duration.parse(text);
                } catch (DateTimeParseException e) {
                    if (e.getCause() instanceof ArithmeticException) {
                        throw tooLong(value);
                    }
                    throw new TypeConversionException("'" + value + "' is not a duration (examples: 200ms, 2s, 500us, 5m, 1h, PT0.2S)");
                }
            }
            if (duration.compareTo(MAX_DURATION) > 0) {
                throw tooLong(value);
            }
            return duration;
        }

        private static TypeConversionException tooLong(String value) {
            return new TypeConversionException("'" + value + "' is too long: a duration must be at most " + Long.MAX_VALUE
                                               + " ns (about 292 years)");
        }
    }

    /** single (one consumer thread for the whole ring) or per-stage (a thread per stage). */
    static final class Threading implements ITypeConverter<ThreadingMode> {
        @Override
        public ThreadingMode convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "single", "single-thread" -> ThreadingMode.SINGLE_THREAD;
                case "per-stage", "thread-per-stage" -> ThreadingMode.THREAD_PER_STAGE;
                default -> throw new TypeConversionException("'" + value + "' is not a threading mode (use single or per-stage)");
            };
        }
    }

    /** A system {@code demo --peer} compares with, by the name {@link Peer} gives it (any case). */
    static final class PeerName implements ITypeConverter<Peer> {
        @Override
        public Peer convert(String value) {
            Peer peer = Peer.named(value);
            if (peer == null) {
                throw new TypeConversionException("'" + value + "' is not a peer the demo knows (use one of: " + Peer.names() + ")");
            }
            return peer;
        }
    }

    private static long digits(String value, String digits) {
        try {
            return Long.parseLong(digits.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw tooLarge(value);
        }
    }

    private static long scaled(String value, long number, long multiplier) {
        try {
            return Math.multiplyExact(number, multiplier);
        } catch (ArithmeticException e) {
            throw tooLarge(value);
        }
    }

    private static TypeConversionException tooLarge(String value) {
        return new TypeConversionException("'" + value + "' is too large: the largest number is " + Format.count(Long.MAX_VALUE));
    }
}
