package io.tributary.trigger.rule;

/** A record that can never be processed: it goes to the dead-letter topic with this reason. */
public class RejectedRecordException extends RuntimeException {
    public RejectedRecordException(String reason) {
        super(reason);
    }
}
