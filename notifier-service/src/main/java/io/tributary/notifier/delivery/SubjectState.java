package io.tributary.notifier.delivery;

import java.time.Instant;

/** Per (subscription, subject): failing or not, what was last said and when. */
public record SubjectState(boolean failing, String fingerprint, Instant lastNotifiedAt) {}
