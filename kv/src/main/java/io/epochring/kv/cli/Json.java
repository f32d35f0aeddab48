package io.epochring.kv.cli;

import java.io.PrintWriter;

/** Just enough JSON writing for {@code inspect --json}: objects, arrays, strings, numbers. */
final class Json {

    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    Json open(char bracket) {
        comma();
        out.append(bracket);
        first = true;
        return this;
    }

    Json open(String name, char bracket) {
        key(name);
        out.append(bracket);
        first = true;
        return this;
    }

    Json close(char bracket) {
        out.append(bracket);
        first = false;
        return this;
    }

    Json field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    Json field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    /** Writes what was built so far to {@code writer} and forgets it, so a long document streams in bounded memory. */
    Json drainTo(PrintWriter writer) {
        writer.append(out);
        out.setLength(0);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void key(String name) {
        comma();
        string(name);
        out.append(':');
    }

    private void comma() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
