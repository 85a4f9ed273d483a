package io.tributary.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class TracesTest {
    private static final String TRACEPARENT =
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aStoredTraceparentBecomesCurrentUntilTheScopeCloses() {
        assertThat(Traces.current()).isNull();
        try (var scope = Traces.restore(TRACEPARENT)) {
            assertThat(Traces.current()).isEqualTo(TRACEPARENT);
            assertThat(Traces.currentOr("other")).isEqualTo(TRACEPARENT);
            Message<String> message = Traces.withCurrent(Message.of("x"));
            assertThat(TracingMetadata.fromMessage(message))
                    .get()
                    .extracting(m -> Span.fromContext(m.getCurrentContext()).getSpanContext())
                    .extracting(c -> c.getTraceId())
                    .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        }
        assertThat(Traces.current()).isNull();
    }

    @Test
    void missingOrMalformedValuesChangeNothing() {
        for (String bad : new String[] {null, "", "  ", "garbage", "00-zz-yy-01"}) {
            try (var scope = Traces.restore(bad)) {
                assertThat(Traces.current()).as(bad).isNull();
                assertThat(Traces.currentOr(bad)).isEqualTo(bad);
            }
        }
        Message<String> message = Message.of("x");
        assertThat(TracingMetadata.fromMessage(Traces.withCurrent(message))).isEmpty();
    }

    @Test
    void aReceivedTraceparentIsContinuedOnlyWithoutACurrentSpan() {
        try (var outer = Traces.continueFrom(TRACEPARENT)) {
            assertThat(Traces.current()).isEqualTo(TRACEPARENT);
            try (var inner =
                    Traces.continueFrom(
                            "00-11111111111111111111111111111111-2222222222222222-01")) {
                assertThat(Traces.current()).isEqualTo(TRACEPARENT);
            }
        }
    }
}
