package io.tributary.support.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> event(String data) throws Exception {
        JsonNode node = JSON.readTree(data);
        return Conditions.values(
                node,
                "id-1",
                "io.tributary.sync.succeeded",
                "/tributary/sync-monitor-service",
                "conn-a",
                "2026-11-30T00:00:00Z");
    }

    @Test
    void theReadmeExampleMatchesOnDataAndAttributes() throws Exception {
        Condition c =
                Conditions.EVENTS.compile(
                        "data.rowsSynced > 0 && data.connectionId in ['conn-a', 'conn-b']"
                                + " && type == 'io.tributary.sync.succeeded'");
        assertThat(c.test(event("{\"rowsSynced\": 5, \"connectionId\": \"conn-a\"}"))).isTrue();
        assertThat(c.test(event("{\"rowsSynced\": 0, \"connectionId\": \"conn-a\"}"))).isFalse();
        assertThat(c.test(event("{\"rowsSynced\": 5, \"connectionId\": \"conn-z\"}"))).isFalse();
    }

    @Test
    void nestedFieldsListsDoublesAndNullsReadAsJsonSays() throws Exception {
        Map<String, Object> e =
                event(
                        "{\"trigger\": {\"kind\": \"webhook\"}, \"failedNodes\": [\"a\", \"b\"],"
                                + " \"ratio\": 0.5, \"message\": null}");
        assertThat(Conditions.EVENTS.compile("data.trigger.kind == 'webhook'").test(e)).isTrue();
        assertThat(Conditions.EVENTS.compile("size(data.failedNodes) == 2").test(e)).isTrue();
        assertThat(Conditions.EVENTS.compile("'b' in data.failedNodes").test(e)).isTrue();
        assertThat(Conditions.EVENTS.compile("data.ratio < 1").test(e)).isTrue();
        assertThat(Conditions.EVENTS.compile("data.message == null").test(e)).isTrue();
        assertThat(Conditions.EVENTS.compile("has(data.trigger) && !has(data.x)").test(e)).isTrue();
    }

    @Test
    void aFieldTheEventLacksIsANonMatchWithItsReason() throws Exception {
        Condition c = Conditions.EVENTS.compile("data.missing > 0");
        Condition.Outcome outcome = c.evaluate(event("{\"rowsSynced\": 5}"));
        assertThat(outcome.matched()).isFalse();
        assertThat(outcome.error()).contains("missing");
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() {
        assertThatThrownBy(() -> Conditions.EVENTS.compile("data.rowsSynced >"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("line 1, column 18")
                .satisfies(
                        e -> {
                            InvalidConditionException ice = (InvalidConditionException) e;
                            assertThat(ice.line()).isEqualTo(1);
                            assertThat(ice.column()).isEqualTo(18);
                        });
        assertThatThrownBy(() -> Conditions.EVENTS.compile("type == 'a' &&\n  bogus == 1"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("line 2, column 3")
                .hasMessageContaining("bogus");
    }

    @Test
    void aConditionIsABoolean() {
        assertThatThrownBy(() -> Conditions.EVENTS.compile("type"))
                .isInstanceOf(InvalidConditionException.class);
        assertThatThrownBy(() -> Conditions.EVENTS.compile(" "))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("required");
    }

    @Test
    void eachEnvironmentKnowsItsOwnVariables() throws Exception {
        assertThatThrownBy(() -> Conditions.EVENTS.compile("headers['x'] == 'y'"))
                .isInstanceOf(InvalidConditionException.class);
        Condition record =
                Conditions.KAFKA_RECORDS.compile(
                        "topic == 'orders' && key.startsWith('eu-') && headers['source'] == 'shop'"
                                + " && data.total >= 10");
        assertThat(
                        record.test(
                                Map.of(
                                        "data",
                                        Conditions.toCel(JSON.readTree("{\"total\": 12}")),
                                        "key",
                                        "eu-1",
                                        "topic",
                                        "orders",
                                        "headers",
                                        Map.of("source", "shop"))))
                .isTrue();
    }

    @Test
    void anExpressionIsCompiledOnce() {
        assertThat(Conditions.WEBHOOKS.compile("data.action == 'opened'"))
                .isSameAs(Conditions.WEBHOOKS.compile("data.action == 'opened'"));
    }
}
