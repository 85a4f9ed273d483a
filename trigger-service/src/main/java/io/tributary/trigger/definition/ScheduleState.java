package io.tributary.trigger.definition;

import java.time.Instant;

/** A schedule with where it stands: the next fire the engine waits for and the last one done. */
public record ScheduleState(
        ScheduleDefinition definition, Instant nextFireAt, Instant lastFireAt) {}
