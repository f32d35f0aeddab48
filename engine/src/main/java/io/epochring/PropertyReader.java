package io.epochring;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed settings from string properties for the {@code properties(...)} entries of the
 * engine, the journal and the kv store: durations, sizes, booleans, counts and names. Every bad
 * value is an {@link IllegalArgumentException} naming the key, the value and what is allowed.
 *
 * <p>A reader owns the keys under one prefix (for example {@code "epochring."}); keys under other
 * prefixes are left alone, so one file can configure several components. Once every known key has
 * been read, {@link #refuseUnknown(List)} refuses any key under the prefix that nothing read.
 *
 * <table>
 *   <caption>Value syntax</caption>
 *   <tr><th>kind</th><th>accepted</th></tr>
 *   <tr><td>duration</td><td>a whole number and a unit: {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m},
 *       {@code h}, {@code d} ({@code 200ms}, {@code 2s}, {@code 1m}); a plain number uses the unit the key documents;
 *       at most {@link Long#MAX_VALUE} nanoseconds</td></tr>
 *   <tr><td>size</td><td>a whole number and an optional unit: {@code B}, {@code KiB}, {@code MiB}, {@code GiB},
 *       {@code TiB} ({@code 64MiB}, {@code 4096}); at most {@link Long#MAX_VALUE} bytes</td></tr>
 *   <tr><td>boolean</td><td>{@code true} or {@code false}</td></tr>
 *   <tr><td>name</td><td>one of the names the key lists, case-insensitive</td></tr>
 * </table>
 *
 * <p>Values are trimmed. This class is shared across modules; it is not a general configuration
 * library and holds no state beyond one read.
 */
public final class PropertyReader {

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("([0-9]+)\\s*([A-Za-zµ]*)");
    private static final Map<String, Long> DURATION_UNITS = new LinkedHashMap<>();
    private static final Map<String, Long> SIZE_UNITS = new LinkedHashMap<>();

    static {
        DURATION_UNITS.put("ns", 1L);
        DURATION_UNITS.put("us", 1_000L);
        DURATION_UNITS.put("ms", 1_000_000L);
        DURATION_UNITS.put("s", 1_000_000_000L);
        DURATION_UNITS.put("m", 60_000_000_000L);
        DURATION_UNITS.put("h", 3_600_000_000_000L);
        DURATION_UNITS.put("d", 86_400_000_000_000L);
        SIZE_UNITS.put("B", 1L);
        SIZE_UNITS.put("KiB", 1L << 10);
        SIZE_UNITS.put("MiB", 1L << 20);
        SIZE_UNITS.put("GiB", 1L << 30);
        SIZE_UNITS.put("TiB", 1L << 40);
    }

    private final String prefix;
    private final Map<String, String> values = new TreeMap<>();
    private final Set<String> read = new TreeSet<>();

    /**
     * @param properties every property; only keys starting with {@code prefix} are this reader's
     * @param prefix     the keys this reader owns, e.g. {@code "epochring."}
     * @throws IllegalArgumentException when a key or value is null
     */
    public PropertyReader(Map<String, String> properties, String prefix) {
        if (properties == null) {
            throw new IllegalArgumentException("properties must not be null: pass an empty map for the defaults");
        }
        this.prefix = prefix;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("property " + e.getKey() + "=" + e.getValue()
                                                   + " has a null key or value: remove it or give it a value");
            }
            if (e.getKey().startsWith(prefix)) {
                values.put(e.getKey(), e.getValue().trim());
            }
        }
    }

    /**
     * Copies {@link Properties} (with their defaults) into a map.
     *
     * @throws IllegalArgumentException when a key or value is not a String
     */
    public static Map<String, String> toMap(Properties properties) {
        if (properties == null) {
            throw new IllegalArgumentException("properties must not be null: pass an empty Properties for the defaults");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof String)) {
                throw new IllegalArgumentException("property " + e.getKey() + "=" + e.getValue()
                                                   + " is not a String pair: put strings only (Properties.setProperty)");
            }
        }
        for (String key : properties.stringPropertyNames()) {
            map.put(key, properties.getProperty(key));
        }
        return map;
    }

    /** @return whether the key is present (without marking it read) */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** @return the raw (trimmed) value, or null when absent; marks the key read */
    public String raw(String key) {
        read.add(key);
        return values.get(key);
    }

    /** @return a non-blank string, or null when absent */
    public String string(String key) {
        String value = raw(key);
        if (value != null && value.isEmpty()) {
            throw bad(key, value, "a non-blank value (remove the key for the default)");
        }
        return value;
    }

    /** @return a whole number in {@code [min, max]}, or null when absent */
    public Integer intIn(String key, int min, int max) {
        String value = raw(key);
        if (value == null) {
            return null;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw bad(key, value, "a whole number from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw bad(key, value, "a whole number from " + min + " to " + max);
        }
        return (int) parsed;
    }

    /** @return {@code true} or {@code false}, or null when absent */
    public Boolean bool(String key) {
        String value = raw(key);
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (value.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw bad(key, value, "true or false");
    }

    /**
     * @param plainUnit the unit of a plain number, as the key documents it
     * @return a duration above zero, or null when absent
     */
    public Duration duration(String key, ChronoUnit plainUnit) {
        String value = raw(key);
        return value == null ? null : parseDuration(key, value, value, plainUnit, false);
    }

    /**
     * As {@link #duration}, for a setting that zero turns off.
     *
     * @return a duration of zero or more, or null when absent
     */
    public Duration durationOrZero(String key, ChronoUnit plainUnit) {
        String value = raw(key);
        return value == null ? null : parseDuration(key, value, value, plainUnit, true);
    }

    /**
     * @param value the key's whole value, for the error message
     * @param text  the part of it that is a duration
     * @return a duration above zero parsed from {@code text}
     */
    public Duration parseDuration(String key, String value, String text, ChronoUnit plainUnit) {
        return parseDuration(key, value, text, plainUnit, false);
    }

    private Duration parseDuration(String key, String value, String text, ChronoUnit plainUnit, boolean zeroAllowed) {
        String expected = (zeroAllowed ? "a duration, zero or more, such as 0, 5us or 1ms" : "a duration above zero such as 200ms, 2s or 1m")
                          + " (units " + String.join(", ", DURATION_UNITS.keySet())
                          + "; a plain number is in " + plainUnit.toString().toLowerCase() + "; at most " + Long.MAX_VALUE + " ns)";
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        if (!m.matches()) {
            throw bad(key, value, expected);
        }
        Long unitNanos = m.group(2).isEmpty() ? Long.valueOf(plainUnit.getDuration().toNanos()) : DURATION_UNITS.get(m.group(2));
        if (unitNanos == null) {
            throw bad(key, value, expected);
        }
        long nanos = multiply(key, value, m.group(1), unitNanos, expected);
        if (nanos == 0 && !zeroAllowed) {
            throw bad(key, value, expected);
        }
        return Duration.ofNanos(nanos);
    }

    /** @return a size in bytes above zero, or null when absent */
    public Long bytes(String key) {
        String value = raw(key);
        if (value == null) {
            return null;
        }
        String expected = "a size above zero such as 4096, 64MiB or 1GiB (units " + String.join(", ", SIZE_UNITS.keySet())
                          + "; a plain number is bytes; at most " + Long.MAX_VALUE + " bytes)";
        Matcher m = NUMBER_AND_UNIT.matcher(value);
        if (!m.matches()) {
            throw bad(key, value, expected);
        }
        Long unit = m.group(2).isEmpty() ? Long.valueOf(1) : SIZE_UNITS.get(m.group(2));
        if (unit == null) {
            throw bad(key, value, expected);
        }
        long bytes = multiply(key, value, m.group(1), unit, expected);
        if (bytes == 0) {
            throw bad(key, value, expected);
        }
        return bytes;
    }

    /**
     * @param names the accepted names (matched case-insensitively) and what each means
     * @return the chosen value, or null when absent
     */
    public <T> T choice(String key, Map<String, T> names) {
        String value = raw(key);
        if (value == null) {
            return null;
        }
        for (Map.Entry<String, T> e : names.entrySet()) {
            if (e.getKey().equalsIgnoreCase(value)) {
                return e.getValue();
            }
        }
        throw bad(key, value, "one of " + String.join(", ", names.keySet()));
    }

    /**
     * @return the {@code <name>} of every present key {@code <start><name><end>}, sorted; such keys
     *         are only read when their value is read
     */
    public List<String> names(String start, String end) {
        List<String> found = new ArrayList<>();
        for (String key : values.keySet()) {
            if (key.startsWith(start) && key.endsWith(end) && key.length() > start.length() + end.length()) {
                found.add(key.substring(start.length(), key.length() - end.length()));
            }
        }
        return Collections.unmodifiableList(found);
    }

    /**
     * Refuses the first key under the prefix that nothing read.
     *
     * @param known the documented keys, listed in the message
     */
    public void refuseUnknown(List<String> known) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!read.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown property " + e.getKey() + "=" + e.getValue()
                                                   + ": check its spelling; keys under " + prefix + " are " + known);
            }
        }
    }

    /** @return an error naming the key, the value and what is allowed */
    public static IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("bad property " + key + "=" + value + ": expected " + expected);
    }

    private static long multiply(String key, String value, String digits, long unit, String expected) {
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad property " + key + "=" + value + ": too large; expected " + expected);
        }
    }
}
