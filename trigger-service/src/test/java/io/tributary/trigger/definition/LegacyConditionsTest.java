package io.tributary.trigger.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventJson;
import io.tributary.support.ApiException;
import io.tributary.support.cel.Conditions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pre-CEL syntaxes become CEL that compiles and decides as they did. */
class LegacyConditionsTest {

    static JsonNode json(String text) {
        return EventJson.tree(text.replace('\'', '"'));
    }

    static boolean event(String cel, String data) {
        return Conditions.EVENTS
                .compile(cel)
                .test(Conditions.values(json(data), "id-1", "t", "/s", "subj", ""));
    }

    static boolean webhook(String cel, String body) {
        return Conditions.WEBHOOKS
                .compile(cel)
                .test(Map.of("data", Conditions.toCel(json(body)), "headers", Map.of()));
    }

    @Test
    void ruleConditions() {
        assertThat(LegacyConditions.ruleCondition("rowsSynced > 0"))
                .isEqualTo("data.rowsSynced > 0");
        String cel =
                LegacyConditions.ruleCondition(
                        "rowsSynced >= 10 && jobType == sync && status != 'failed' && a.in == \"x\"");
        assertThat(cel)
                .isEqualTo(
                        "data.rowsSynced >= 10 && data.jobType == 'sync'"
                                + " && data.status != 'failed' && data.a['in'] == 'x'");
        assertThat(event(cel, "{'rowsSynced':12,'jobType':'sync','status':'ok','a':{'in':'x'}}"))
                .isTrue();
        assertThat(event(cel, "{'rowsSynced':9,'jobType':'sync','status':'ok','a':{'in':'x'}}"))
                .isFalse();
        // A missing field is false, as it was.
        assertThat(event(cel, "{'rowsSynced':12}")).isFalse();
        assertThat(LegacyConditions.ruleCondition("attached == true && bytes < '1.5'"))
                .isEqualTo("data.attached == true && data.bytes < 1.5");
        // CEL already (names a CEL variable, or is not the old grammar): left alone.
        assertThat(LegacyConditions.ruleCondition("data.rowsSynced > 0")).isNull();
        assertThat(LegacyConditions.ruleCondition("type == 'io.tributary.sync.failed'")).isNull();
        assertThat(LegacyConditions.ruleCondition("size(data.x) > 0")).isNull();
        assertThatThrownBy(() -> LegacyConditions.ruleCondition("status > high"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("compares with a number only");
    }

    @Test
    void webhookFilters() {
        String cel =
                LegacyConditions.filter(
                        json(
                                "[{'pointer':'/ref','equals':'refs/heads/main'},"
                                        + "{'pointer':'/items/0/a~1b','in':[1,2.5,true]},"
                                        + "{'pointer':'/x y','equals':{'k':[null]}}]"),
                        false);
        assertThat(cel)
                .isEqualTo(
                        "data.ref == 'refs/heads/main' && data.items[0]['a/b'] in [1, 2.5, true]"
                                + " && data['x y'] == {'k': [null]}");
        assertThat(
                        webhook(
                                cel,
                                "{'ref':'refs/heads/main','items':[{'a/b':2.5}],'x y':{'k':[null]}}"))
                .isTrue();
        assertThat(webhook(cel, "{'ref':'refs/heads/dev','items':[{'a/b':1}],'x y':{'k':[null]}}"))
                .isFalse();
        assertThat(webhook(cel, "[1, 2]")).isFalse();
        assertThat(LegacyConditions.filter(json("[]"), false)).isNull();
        // Quotes and backslashes stay text.
        String quoted =
                LegacyConditions.filter(
                        EventJson.tree("[{\"pointer\":\"/q\",\"equals\":\"it's \\\\ \"}]"), false);
        assertThat(quoted).isEqualTo("data.q == 'it\\'s \\\\ '");
        assertThat(
                        Conditions.WEBHOOKS
                                .compile(quoted)
                                .test(
                                        Map.of(
                                                "data",
                                                Conditions.toCel(
                                                        EventJson.tree("{\"q\":\"it's \\\\ \"}")),
                                                "headers",
                                                Map.of())))
                .isTrue();
    }

    @Test
    void kafkaFilters() {
        String cel =
                LegacyConditions.filter(
                        json(
                                "[{'header':'CE_Type','equals':'com.acme.x'},"
                                        + "{'header':'n','in':[1,'2']},{'pointer':'/data/table','equals':'orders'}]"),
                        true);
        assertThat(cel)
                .isEqualTo(
                        "headers['ce_type'] == 'com.acme.x' && headers['n'] in ['1', '2']"
                                + " && data.data.table == 'orders'");
        assertThat(Conditions.KAFKA_RECORDS.compile(cel)).isNotNull();
    }

    @Test
    void invalidOldFiltersAreRefusedAsBefore() {
        for (String[] bad :
                new String[][] {
                    {"[{'pointer':'ref','equals':'x'}]", "JSON Pointer"},
                    {"[{'pointer':'/a'}]", "exactly one of 'equals' and 'in'"},
                    {"[{'pointer':'/a','in':[]}]", "at least one value"},
                    {"[{'pointer':'/a','equals':1,'other':2}]", "unknown field 'other'"},
                    {"[{'pointer':'/a','header':'h','equals':'x'}]", "exactly one of 'pointer'"},
                    {"[null]", "empty"}
                }) {
            assertThatThrownBy(() -> LegacyConditions.filter(json(bad[0]), true))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining(bad[1]);
        }
    }

    @Test
    void readingADefinitionTranslatesIt() {
        RuleDefinition rule =
                DefinitionJson.read(
                        json(
                                "{'id':'r','eventTypes':['sync.succeeded'],'condition':'rowsSynced > 0',"
                                        + "'sourceConnectionIds':['7a7a7a7a-0000-4000-8000-000000000001'],"
                                        + "'targetConnectionIds':['7a7a7a7a-0000-4000-8000-000000000002']}"),
                        RuleDefinition.class);
        assertThat(rule.validated().condition()).isEqualTo("data.rowsSynced > 0");
        HookDefinition hook =
                DefinitionJson.read(
                        json(
                                "{'id':'h','scheme':'github','secrets':['x'],'connectionIds':[],"
                                        + "'filter':[{'pointer':'/ref','equals':'main'}]}"),
                        HookDefinition.class);
        assertThat(hook.filter()).isEqualTo("data.ref == 'main'");
    }
}
