package io.tributary.transform.run;

/**
 * Fired when runs were queued; observed after the commit, so the worker's next tick sees them
 * (woken before the commit, it would look too early and wait a whole poll interval).
 */
public record RunsQueued() {}
