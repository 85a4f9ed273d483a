package io.tributary.trigger.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.KafkaTriggerDefinition;
import io.tributary.trigger.messaging.DeadLetterPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs one consumer per enabled Kafka trigger and keeps that set equal to the definitions: at
 * start, right after this instance saves or deletes one, and every {@code
 * tributary.trigger.kafka-reconcile} (default 5 s) so that a change made through another instance
 * is picked up too. No restart is needed to subscribe to a topic or to stop.
 */
@ApplicationScoped
public class KafkaTriggers implements KafkaTriggerRunner.Outcomes {
    private static final Logger LOG = Logger.getLogger(KafkaTriggers.class);

    @Inject Definitions definitions;
    @Inject KafkaClients clients;
    @Inject KafkaThrottle throttle;
    @Inject DeadLetterPublisher deadLetters;
    @Inject MeterRegistry registry;

    private final Map<String, KafkaTriggerRunner> running = new HashMap<>();
    private volatile boolean stopped;

    // After the definitions file (default observer priority) has been loaded.
    void onStart(@Observes @Priority(5000) StartupEvent event) {
        reconcile();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopAll();
    }

    @PreDestroy
    void destroy() {
        stopAll();
    }

    /** Starts, restarts (changed definition) and stops consumers to match the definitions. */
    public synchronized void reconcile() {
        if (stopped) {
            return;
        }
        List<KafkaTriggerDefinition> all;
        try {
            all = definitions.kafkaTriggers();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the Kafka triggers: %s", e.toString());
            return;
        }
        Map<String, KafkaTriggerDefinition> wanted =
                all.stream()
                        .filter(KafkaTriggerDefinition::isEnabled)
                        .collect(Collectors.toMap(KafkaTriggerDefinition::id, d -> d));
        for (String id : Set.copyOf(running.keySet())) {
            KafkaTriggerRunner runner = running.get(id);
            if (!runner.def.equals(wanted.get(id))) {
                running.remove(id).stop();
            }
        }
        for (KafkaTriggerDefinition def : wanted.values()) {
            if (!running.containsKey(def.id())) {
                KafkaTriggerRunner runner =
                        new KafkaTriggerRunner(
                                def, clients.consumer(), throttle, deadLetters, this);
                running.put(def.id(), runner);
                runner.start();
            }
        }
    }

    /** Ids of the triggers this instance consumes for. */
    public synchronized Set<String> running() {
        return new TreeSet<>(running.keySet());
    }

    @Scheduled(
            every = "${tributary.trigger.kafka-reconcile:5s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void periodicReconcile() {
        reconcile();
    }

    /** Trailing requests of intervals that ended with records held back. */
    @Scheduled(
            every = "${tributary.trigger.tick:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        try {
            throttle.sweep();
        } catch (RuntimeException e) {
            LOG.warnf("Kafka trigger sweep failed: %s", e.toString());
        }
    }

    @Override
    public void recorded(String triggerId, String outcome) {
        Counter.builder("tributary.trigger.kafka.records")
                .description("External records read by Kafka triggers, by outcome")
                .tag("trigger", triggerId)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private synchronized void stopAll() {
        stopped = true;
        running.values().forEach(KafkaTriggerRunner::stop);
        running.clear();
    }
}
