package io.tributary.sandbox;

/** What one job (or attempt) committed for one stream. */
public record StreamStats(String namespace, String name, long records, long bytes) {}
