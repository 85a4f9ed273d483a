package io.tributary.transform.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.StreamStats;
import io.tributary.transform.dbt.ManifestSources;
import io.tributary.transform.dbt.ManifestSources.SourceTable;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code select: changed}'s decision on every kind of input, without dbt. */
class ChangedStreamsTest {
    static final List<SourceTable> SHOP =
            List.of(
                    new SourceTable("raw_shop", "customers", "raw_shop", "customers"),
                    new SourceTable("raw_shop", "orders", "raw_shop", "orders"),
                    new SourceTable("raw_shop", "payments_v2", "raw_shop", "payments"));

    static SyncEnding ending(long job, StreamStats... streams) {
        return new SyncEnding("conn-" + job, job, List.of(streams));
    }

    static StreamStats stream(String namespace, String name, Long records) {
        return new StreamStats(namespace, name, records, records == null ? null : records * 10);
    }

    static ChangedStreams.Plan plan(SyncEnding... endings) {
        return ChangedStreams.plan(List.of(endings), Map.of(), () -> SHOP);
    }

    @Test
    void onlyTheChangedStreamsSourcesAreSelectedWithWhatReadsThem() {
        var p =
                plan(
                        ending(
                                1,
                                stream("raw_shop", "customers", 0L),
                                stream("raw_shop", "orders", 5L)),
                        ending(2, stream("raw_shop", "payments", 3L)));
        assertThat(p.selectors())
                .containsExactly("source:raw_shop.orders+", "source:raw_shop.payments_v2+");
        assertThat(p.changed()).containsExactly("raw_shop.orders", "raw_shop.payments");
        assertThat(p.skip()).isFalse();
        assertThat(p.reason()).startsWith("changed streams raw_shop.orders, raw_shop.payments");
    }

    @Test
    void theExplicitMappingWinsAndNeedsNoManifest() {
        var p =
                ChangedStreams.plan(
                        List.of(ending(1, stream("public", "Orders", 1L))),
                        Map.of("public.Orders", "shop.orders"),
                        () -> {
                            throw new ChangedStreams.UnavailableException("not needed");
                        });
        assertThat(p.selectors()).containsExactly("source:shop.orders+");
    }

    @Test
    void nothingCommittedIsASkip() {
        var p = plan(ending(7, stream("raw_shop", "orders", 0L)), ending(8));
        assertThat(p.skip()).isTrue();
        assertThat(p.selectors()).isNull();
        assertThat(p.reason()).contains("no stream committed records").contains("7, 8");
    }

    @Test
    void whatCannotBeTrustedFallsBackToTheFullSelectionWithTheReason() {
        assertFallback(plan(new SyncEnding("c", 1L, null)), "reported no per-stream counts");
        assertFallback(plan(ending(1, stream("raw_shop", "orders", -1L))), "unknown record count");
        assertFallback(plan(ending(1, stream("raw_shop", "orders", null))), "unknown record count");
        assertFallback(plan(ending(1, stream("raw_shop", "refunds", 4L))), "feeds no dbt source");
        assertFallback(plan(ending(1, stream(null, "orders", 4L))), "feeds no dbt source");
        assertFallback(plan(SyncEnding.MANUAL), "a manual trigger");
        assertFallback(ChangedStreams.plan(List.of(), Map.of(), () -> SHOP), "no sync ending");
        assertFallback(
                ChangedStreams.plan(
                        List.of(ending(1, stream("raw_shop", "orders", 1L))),
                        Map.of(),
                        () -> {
                            throw new ChangedStreams.UnavailableException("it does not parse");
                        }),
                "manifest is unavailable: it does not parse");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "orders customers",
                "orders+",
                "@orders",
                "orders,customers",
                "tag:x",
                "ord*",
                "\"orders\"",
                "'orders'",
                "a/b",
                "orders.x",
                "-orders",
                "ord\ners",
                ""
            })
    void aStreamNameThatCouldReachTheSelectorSyntaxIsRefused(String name) {
        assertFallback(plan(ending(1, stream("raw_shop", name, 3L))), "refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw shop", "raw+shop", "raw@shop", "raw,shop", "raw:shop", "*", "a/b"})
    void aNamespaceThatCouldReachTheSelectorSyntaxIsRefused(String namespace) {
        assertFallback(plan(ending(1, stream(namespace, "orders", 3L))), "refused");
    }

    @Test
    void aSourceWhoseNamesCannotBeSelectedSafelyFallsBack() {
        var p =
                ChangedStreams.plan(
                        List.of(ending(1, stream("raw_shop", "orders", 1L))),
                        Map.of(),
                        () -> List.of(new SourceTable("raw shop", "orders", "raw_shop", "orders")));
        assertFallback(p, "cannot carry safely");
    }

    @Test
    void theManifestsSourcesAreReadAndABrokenManifestIsRefused() throws Exception {
        String json =
                "{\"metadata\": {\"x\": [1, {\"y\": 2}]}, \"nodes\": {},"
                        + " \"sources\": {\"source.p.raw.t\": {\"source_name\": \"raw\","
                        + " \"name\": \"t\", \"schema\": \"raw_s\", \"identifier\": \"T_table\"},"
                        + " \"source.p.raw.u\": {\"source_name\": \"raw\", \"name\": \"u\","
                        + " \"schema\": \"raw_s\", \"identifier\": null}}, \"child_map\": {}}";
        List<SourceTable> tables = ManifestSources.read(in(json));
        assertThat(tables)
                .containsExactly(
                        new SourceTable("raw", "t", "raw_s", "T_table"),
                        new SourceTable("raw", "u", "raw_s", "u"));
        assertThat(tables.get(0).reads("RAW_S", "t_table")).isTrue();
        List<String> broken = new ArrayList<>();
        for (String bad :
                List.of(json.substring(0, json.length() - 20), "[]", "", "{\"sources\": ")) {
            try {
                ManifestSources.read(in(bad));
            } catch (java.io.IOException e) {
                broken.add(bad);
            }
        }
        assertThat(broken).hasSize(4);
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertFallback(ChangedStreams.Plan p, String reason) {
        assertThat(p.isFallback()).as(p.reason()).isTrue();
        assertThat(p.selectors()).isNull();
        assertThat(p.reason()).startsWith("full selection: ").contains(reason);
    }
}
