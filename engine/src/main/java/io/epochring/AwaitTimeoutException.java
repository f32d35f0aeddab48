package io.epochring;

/**
 * A wait for a durability level ran out of time. The write itself is unaffected: wait again.
 */
public final class AwaitTimeoutException extends EpochRingException {

    public AwaitTimeoutException(String what) {
        super("timed out waiting for " + what + "; the write is still in flight: wait again or check the coordinator's stats", null, false);
    }
}
