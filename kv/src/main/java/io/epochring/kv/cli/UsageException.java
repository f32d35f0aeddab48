package io.epochring.kv.cli;

/**
 * Bad input found while a command runs (a directory that does not exist, is not a store, or is
 * not empty): reported like a command-line error, with exit code 2.
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message, null, false, false);
    }
}
