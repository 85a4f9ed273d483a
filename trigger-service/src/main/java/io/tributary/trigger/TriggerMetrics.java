package io.tributary.trigger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.events.TriggerKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The service's own meters: {@code tributary_trigger_requests_total{kind}}, {@code
 * tributary_trigger_webhook_rejections_total{reason}}, {@code tributary_trigger_kafka_ack_seconds}
 * and {@code tributary_trigger_schedule_misfires_total{policy}}.
 */
@ApplicationScoped
public class TriggerMetrics {
    private final MeterRegistry registry;
    private final Timer ack;

    @Inject
    public TriggerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ack =
                Timer.builder("tributary.trigger.kafka.ack")
                        .description(
                                "Time from storing a webhook's or API call's sync requests to"
                                        + " Kafka's acknowledgement")
                        .publishPercentileHistogram()
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
    }

    /** Sync requests stored for publication (committed), by trigger kind. */
    public void requested(TriggerKind kind, int count) {
        Counter.builder("tributary.trigger.requests")
                .description("sync.requested events stored for publication, by trigger kind")
                .tag("kind", kind.wire())
                .register(registry)
                .increment(count);
    }

    /** A webhook call refused, by reason (too_large, unknown_hook, bad_signature...). */
    public void rejected(String reason) {
        Counter.builder("tributary.trigger.webhook.rejections")
                .description("Webhook deliveries refused, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void acknowledged(Duration elapsed) {
        ack.record(elapsed);
    }

    public void misfire(String policy) {
        Counter.builder("tributary.trigger.schedule.misfires")
                .description("Schedule fires found late, by the policy applied")
                .tag("policy", policy)
                .register(registry)
                .increment();
    }
}
