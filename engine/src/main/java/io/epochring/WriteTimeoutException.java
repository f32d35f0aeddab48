package io.epochring;

import java.time.Duration;

/**
 * {@code write(w, timeout)} found no space in the channel within the timeout. The write was not
 * accepted and is handed back.
 */
public final class WriteTimeoutException extends RejectedWriteException {

    public WriteTimeoutException(String channel, Duration timeout, Object write) {
        super("channel '" + channel + "' stayed full for " + timeout + ": the write was not accepted; retry, wait longer, or raise the channel's capacity",
              write, null, false);
    }
}
