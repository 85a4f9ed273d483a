package io.tributary.notifier.channel;

/** Channel settings that cannot be saved; the message is shown to the caller (no secrets). */
public class InvalidSettingsException extends Exception {
    public InvalidSettingsException(String message) {
        super(message);
    }
}
