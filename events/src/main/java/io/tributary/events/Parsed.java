package io.tributary.events;

import java.util.Optional;

/**
 * The result of reading a Kafka record as a CloudEvent: a bad record is a value, not an exception,
 * so a consumer can route it to its dead-letter topic and keep going.
 */
public sealed interface Parsed permits Parsed.Ok, Parsed.Invalid {

    /** The event, empty when invalid. */
    Optional<ReceivedEvent> toOptional();

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** A well-formed CloudEvent (its type may still be unknown to this version). */
    record Ok(ReceivedEvent event) implements Parsed {
        @Override
        public Optional<ReceivedEvent> toOptional() {
            return Optional.of(event);
        }
    }

    /** Not a usable CloudEvent; {@code reason} says what is missing or wrong. */
    record Invalid(String reason) implements Parsed {
        @Override
        public Optional<ReceivedEvent> toOptional() {
            return Optional.empty();
        }
    }
}
