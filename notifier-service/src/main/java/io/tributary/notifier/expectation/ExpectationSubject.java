package io.tributary.notifier.expectation;

/**
 * A connection (its Airbyte UUID, lowercase) or a transform (its name, as the transform-service
 * accepts names).
 */
public record ExpectationSubject(SubjectKind kind, String id) {}
