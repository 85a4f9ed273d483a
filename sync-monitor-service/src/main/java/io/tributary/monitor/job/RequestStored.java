package io.tributary.monitor.job;

/** Fired when a new request is stored; observed after commit to serve it at once. */
public record RequestStored(String connectionId) {}
