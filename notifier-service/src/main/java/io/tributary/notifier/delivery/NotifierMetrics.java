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
        registry.counter("tributary_notifier_events_grouped_total", "channel", channel.wire())
                .increment();
    }

    /** An event that repeated an unchanged state within the repeat interval. */
    public void suppressed(ChannelType channel) {
        registry.counter("tributary_notifier_events_suppressed_total", "channel", channel.wire())
                .increment();
    }

    /** One attempt and its result: delivered, retry, failed, gone, refused. */
    public void attempt(String channel, String result) {
        registry.counter("tributary_notifier_attempts_total", "channel", channel, "result", result)
                .increment();
    }

    /** A delivery that reached its final status (delivered or failed). */
    public void finished(String channel, String status) {
        registry.counter(
                        "tributary_notifier_deliveries_total", "channel", channel, "status", status)
                .increment();
    }

    /** A send postponed by the per-destination rate limit. */
    public void rateLimited(String channel) {
        registry.counter("tributary_notifier_rate_limited_total", "channel", channel).increment();
    }
}
