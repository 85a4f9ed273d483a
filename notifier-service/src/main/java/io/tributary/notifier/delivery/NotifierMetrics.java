package io.tributary.notifier.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.notifier.subscription.ChannelType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Counters of the notifier, exported on /q/metrics. */
@ApplicationScoped
public class NotifierMetrics {
    @Inject MeterRegistry registry;

    /** An event folded into a delivery that was already open. */
    public void grouped(ChannelType channel) {
        registry.counter("tributary.notifier.events.grouped", "channel", channel.wire())
                .increment();
    }

    /** An event that repeated an unchanged state within the repeat interval. */
    public void suppressed(ChannelType channel) {
        registry.counter("tributary.notifier.events.suppressed", "channel", channel.wire())
                .increment();
    }

    /** One attempt and its result: delivered, retry, failed, gone, refused. */
    public void attempt(String channel, String result) {
        registry.counter("tributary.notifier.attempts", "channel", channel, "result", result)
                .increment();
    }

    /** A delivery that reached its final status (delivered or failed). */
    public void finished(String channel, String status) {
        registry.counter("tributary.notifier.deliveries", "channel", channel, "status", status)
                .increment();
    }

    /** A send postponed by the per-destination rate limit. */
    public void rateLimited(String channel) {
        registry.counter("tributary.notifier.rate.limited", "channel", channel).increment();
    }

    /** An expectation created, updated or deleted (promise: freshness, deadline, volume). */
    public void expectationChanged(String promise, String change) {
        registry.counter(
                        "tributary.notifier.expectations.changed",
                        "promise",
                        promise,
                        "change",
                        change)
                .increment();
    }

    /** An expectation judged: kept (at a deadline), missed or recovered. */
    public void expectationJudged(String promise, String outcome) {
        registry.counter(
                        "tributary.notifier.expectations.judged",
                        "promise",
                        promise,
                        "outcome",
                        outcome)
                .increment();
    }
}
