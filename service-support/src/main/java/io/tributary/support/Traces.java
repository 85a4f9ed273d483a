package io.tributary.support;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Carries one W3C trace across the services' persisted hops (a stored request, run or delivery is
 * published later from another thread): {@link #current()} when the work is stored, {@link
 * #restore(String)} around the later publish, {@link #withCurrent(Message)} on the message. Every
 * method is null-safe and never throws: tracing never fails a publish, and rows stored without a
 * trace context simply start a new trace.
 */
public final class Traces {
    /** The W3C Trace Context header name (HTTP and Kafka). */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<String> GETTER =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(String carrier) {
                    return List.of(TRACEPARENT);
                }

                @Override
                public String get(String carrier, String key) {
                    return TRACEPARENT.equalsIgnoreCase(key) ? carrier : null;
                }
            };

    private Traces() {}

    /** The {@code traceparent} of the current span, null when there is none. */
    public static String current() {
        try {
            SpanContext span = Span.current().getSpanContext();
            if (!span.isValid()) {
                return null;
            }
            return "00-"
                    + span.getTraceId()
                    + "-"
                    + span.getSpanId()
                    + "-"
                    + span.getTraceFlags().asHex();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The current span's {@code traceparent}, else {@code fallback} (e.g. a received header). */
    public static String currentOr(String fallback) {
        String current = current();
        return current != null ? current : fallback;
    }

    /**
     * Continues a received {@code traceparent} (e.g. a Kafka record's header) until the scope is
     * closed, unless a span is already current (the messaging connector's consumer span of that
     * same record).
     */
    public static io.opentelemetry.context.Scope continueFrom(String traceparent) {
        return current() != null ? io.opentelemetry.context.Scope.noop() : restore(traceparent);
    }

    /**
     * Makes a stored {@code traceparent} the current context until the returned scope is closed; a
     * no-op scope for null, blank or malformed values.
     */
    public static io.opentelemetry.context.Scope restore(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return io.opentelemetry.context.Scope.noop();
        }
        try {
            Context context =
                    W3CTraceContextPropagator.getInstance()
                            .extract(Context.root(), traceparent.trim(), GETTER);
            if (!Span.fromContext(context).getSpanContext().isValid()) {
                return io.opentelemetry.context.Scope.noop();
            }
            return context.makeCurrent();
        } catch (RuntimeException | LinkageError e) {
            return io.opentelemetry.context.Scope.noop();
        }
    }

    /**
     * The message with the current trace context as the parent of the Kafka connector's producer
     * span, wherever the emitter hands it on (the record's {@code traceparent} header continues
     * this trace). Unchanged when there is no current span.
     */
    public static <T> Message<T> withCurrent(Message<T> message) {
        try {
            Context context = Context.current();
            if (!Span.fromContext(context).getSpanContext().isValid()) {
                return message;
            }
            return message.addMetadata(TracingMetadata.withCurrent(context));
        } catch (RuntimeException | LinkageError e) {
            return message;
        }
    }
}
