package io.epochring.kv.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --verbose} flag every command mixes in: an error prints its stack trace after the
 * one-line message. {@link EpochRingCli} reads it from the parse result, so commands need no code
 * for it.
 */
final class VerboseOption {

    static final String NAME = "--verbose";

    @Option(names = NAME, description = "print stack traces of errors")
    boolean verbose;
}
