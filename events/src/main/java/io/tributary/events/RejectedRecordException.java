package io.tributary.events;

/** A record that can never be processed; its message becomes the dead-letter reason. */
public class RejectedRecordException extends RuntimeException {
    public RejectedRecordException(String reason) {
        super(reason, null, false, false);
    }
}
