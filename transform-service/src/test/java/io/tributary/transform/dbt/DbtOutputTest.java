package io.tributary.transform.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EventJson;
import io.tributary.events.TransformEvent.Summary;
import io.tributary.transform.definition.TransformDefinition;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * dbt's outputs as this dbt (1.10.15, dbt-postgres 1.9.1) really writes them: the fixtures were
 * captured from {@code dbt build} of deploy/dbt/demo, good data and the sandbox's bad data.
 */
class DbtOutputTest {

    static String fixture(String name) throws Exception {
        try (InputStream in = DbtOutputTest.class.getResourceAsStream("/dbt-fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void jsonLogLinesGiveNodeProgressAndErrors() throws Exception {
        List<DbtLogLine> lines =
                fixture("build-test-failures.jsonl").lines().map(DbtLogParser::parse).toList();
        assertThat(lines).allSatisfy(l -> assertThat(l.name()).isNotNull());
        assertThat(lines.stream().filter(DbtLogLine::isNodeStart)).hasSize(15);
        assertThat(lines.stream().filter(DbtLogLine::isNodeResult))
                .hasSize(21)
                .anySatisfy(
                        l -> {
                            assertThat(l.uniqueId())
                                    .isEqualTo(
                                            "test.tributary_demo.not_null_stg_orders_customer_id.af79d5e4b5");
                            assertThat(l.nodeStatus()).isEqualTo("fail");
                            assertThat(l.executionTime()).isPositive();
                        })
                .anySatisfy(
                        l -> {
                            assertThat(l.uniqueId())
                                    .isEqualTo("model.tributary_demo.customer_orders");
                            assertThat(l.nodeStatus()).isEqualTo("skipped");
                        });
        assertThat(lines.stream().filter(DbtLogLine::isError).map(DbtLogLine::message))
                .contains("  Got 1 result, configured to fail if != 0");
        // Colours are gone from the good run's messages.
        assertThat(
                        fixture("build-ok.jsonl")
                                .lines()
                                .map(DbtLogParser::parse)
                                .map(DbtLogLine::message))
                .noneMatch(m -> m.contains("\u001b["))
                .anyMatch(m -> m.contains("OK created sql table model marts.customer_orders"));
    }

    @Test
    void plainLinesAreKeptAsText() {
        DbtLogLine usage =
                DbtLogParser.parse(
                        "Error: Invalid value for '--project-dir': Path '/x' does not exist.");
        assertThat(usage.name()).isNull();
        assertThat(usage.message()).startsWith("Error: Invalid value");
        assertThat(DbtLogParser.parse("{broken json").message()).isEqualTo("{broken json");
    }

    @Test
    void runResultsGiveSummaryFailuresAndRows() throws Exception {
        RunResults ok = RunResults.parse(EventJson.tree(fixture("run_results-ok.json")));
        assertThat(ok.dbtVersion()).isEqualTo("1.10.15");
        assertThat(ok.summary()).isEqualTo(new Summary(5, 0, 0, 16, 0, 0));
        assertThat(ok.failures()).isEmpty();
        assertThat(ok.nodes())
                .filteredOn(n -> n.uniqueId().equals("model.tributary_demo.customer_orders"))
                .singleElement()
                .satisfies(n -> assertThat(n.rowsAffected()).isEqualTo(20));

        RunResults bad =
                RunResults.parse(EventJson.tree(fixture("run_results-test-failures.json")));
        assertThat(bad.summary()).isEqualTo(new Summary(3, 0, 6, 8, 4, 0));
        assertThat(bad.failures())
                .hasSize(4)
                .allSatisfy(
                        f ->
                                assertThat(f.message())
                                        .isEqualTo("Got 1 result, configured to fail if != 0"));
        assertThat(RunResults.read(Path.of("no-such-dir"))).isEmpty();
    }

    @Test
    void theCommandIsAnArgumentListWithVarsAsOneJsonArgument() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("pause_seconds", 0);
        vars.put("note", "it's \"quoted\" $HOME; rm -rf /");
        TransformDefinition d =
                new TransformDefinition(
                        "shop",
                        null,
                        "demo",
                        "demo",
                        null,
                        "dev",
                        "run",
                        "+orders tag:x",
                        "stg_a",
                        vars,
                        true,
                        4,
                        Duration.ofMinutes(5),
                        null,
                        null,
                        null,
                        null,
                        null);
        List<String> args =
                DbtCommand.arguments(
                        "/venv/bin/dbt", d, Path.of("/p"), Path.of("/prof"), Path.of("/runs/1"));
        assertThat(args)
                .containsExactly(
                        "/venv/bin/dbt",
                        "--no-use-colors",
                        "--log-format",
                        "json",
                        "run",
                        "--project-dir",
                        "/p",
                        "--profiles-dir",
                        "/prof",
                        "--target-path",
                        "/runs/1/target",
                        "--log-path",
                        "/runs/1/logs",
                        "--target",
                        "dev",
                        "--select",
                        "+orders",
                        "tag:x",
                        "--exclude",
                        "stg_a",
                        "--vars",
                        "{\"pause_seconds\":0,\"note\":\"it's \\\"quoted\\\" $HOME; rm -rf /\"}",
                        "--threads",
                        "4",
                        "--full-refresh");
    }
}
