package io.tributary.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobListTest extends SandboxTestBase {

    private static List<Long> ids(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("data").forEach(j -> out.add(j.get("jobId").asLong()));
        return out;
    }

    /** Five finished syncs on one connection, one hanging on another; returns the first's ids. */
    private List<Long> history(UUID a, UUID b) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = sandbox.startJobOutside(a);
            sandbox.completeNow(a);
            ids.add(id);
        }
        awaitStatus(sandbox.startJobOutside(b), "running");
        return ids;
    }

    @Test
    void listsOldestFirstByDefaultAndNewestFirstOnRequest() {
        UUID a = sandbox.addConnection("a", ConnectionScript.hangForever());
        UUID b = sandbox.addConnection("b", ConnectionScript.hangForever());
        List<Long> ids = history(a, b);

        JsonNode all = api.get("/jobs", Map.of("connectionId", a.toString())).json();
        assertThat(ids(all)).containsExactlyElementsOf(ids);

        JsonNode desc =
                api.get("/jobs", Map.of("connectionId", a.toString(), "orderBy", "createdAt|DESC"))
                        .json();
        List<Long> reversed = new ArrayList<>(ids);
        java.util.Collections.reverse(reversed);
        assertThat(ids(desc)).containsExactlyElementsOf(reversed);

        assertThat(ids(api.get("/jobs").json())).hasSize(6);
    }

    @Test
    void filtersByStatusAndJobType() {
        // The reset must still be pending when listed, however loaded the machine is.
        UUID a =
                sandbox.addConnection(
                        "a", ConnectionScript.hangForever().withPendingFor(Duration.ofMinutes(1)));
        UUID b = sandbox.addConnection("b", ConnectionScript.hangForever());
        history(a, b);
        sandbox.startJobOutside(a, JobType.RESET);

        assertThat(api.get("/jobs", Map.of("status", "running")).json().get("data"))
                .allSatisfy(j -> assertThat(j.get("status").asText()).isEqualTo("running"))
                .hasSize(1);
        JsonNode pending = api.get("/jobs", Map.of("status", "pending", "jobType", "reset")).json();
        assertThat(pending.get("data")).hasSize(1);
        assertThat(pending.at("/data/0/connectionId").asText()).isEqualTo(a.toString());
        assertThat(api.get("/jobs", Map.of("jobType", "sync")).json().get("data")).hasSize(6);
    }

    @Test
    void updatedAtStartFindsJobsThatEndedSinceTheLastLook() throws Exception {
        UUID a = sandbox.addConnection("a", ConnectionScript.hangForever());
        long early = sandbox.startJobOutside(a);
        sandbox.completeNow(a);
        Thread.sleep(1100); // Airbyte stores whole seconds: the next end must fall in a later one.
        Instant mark = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long late = sandbox.startJobOutside(a);
        sandbox.completeNow(a);

        JsonNode since =
                api.get(
                                "/jobs",
                                Map.of(
                                        "updatedAtStart",
                                        mark.toString(),
                                        "orderBy",
                                        "updatedAt|ASC"))
                        .json();
        assertThat(ids(since)).containsExactly(late);
        JsonNode before = api.get("/jobs", Map.of("createdAtEnd", mark.toString())).json();
        assertThat(ids(before)).containsExactly(early);
        JsonNode after = api.get("/jobs", Map.of("createdAtStart", mark.toString())).json();
        assertThat(ids(after)).containsExactly(late);
    }

    @Test
    void pagesWithNextAndPreviousAsAirbyteFillsThem() {
        UUID a = sandbox.addConnection("a", ConnectionScript.hangForever());
        UUID b = sandbox.addConnection("b", ConnectionScript.hangForever());
        List<Long> ids = history(a, b);
        String url = sandbox.baseUrl() + "/jobs?connectionId=" + a;

        JsonNode first =
                api.get("/jobs", Map.of("connectionId", a.toString(), "limit", "2")).json();
        assertThat(ids(first)).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(first.get("previous").asText()).isEmpty();
        assertThat(first.get("next").asText()).isEqualTo(url + "&limit=2&offset=2");

        JsonNode second =
                api.get("/jobs", Map.of("connectionId", a.toString(), "limit", "2", "offset", "2"))
                        .json();
        assertThat(ids(second)).containsExactlyElementsOf(ids.subList(2, 4));
        assertThat(second.get("previous").asText()).isEqualTo(url + "&limit=2&offset=0");
        assertThat(second.get("next").asText()).isEqualTo(url + "&limit=2&offset=4");

        JsonNode last =
                api.get("/jobs", Map.of("connectionId", a.toString(), "limit", "2", "offset", "4"))
                        .json();
        assertThat(ids(last)).containsExactly(ids.get(4));
        assertThat(last.get("next").asText()).as("short page: no next").isEmpty();

        JsonNode defaults = api.get("/jobs", Map.of("connectionId", a.toString())).json();
        assertThat(defaults.get("next").asText()).as("default limit 20 > 5 jobs").isEmpty();
    }

    @Test
    void refusesLimitsAboveHundredAndBadParameters() {
        assertThat(api.getInvalid("/jobs", Map.of("limit", "101")).status()).isEqualTo(400);
        assertThat(api.getInvalid("/jobs", Map.of("limit", "0")).status()).isEqualTo(400);
        assertThat(api.getInvalid("/jobs", Map.of("offset", "-1")).status()).isEqualTo(400);
        assertThat(api.getInvalid("/jobs", Map.of("status", "bogus")).status()).isEqualTo(400);
        assertThat(api.getInvalid("/jobs", Map.of("orderBy", "jobId|DESC")).status())
                .isEqualTo(400);
        assertThat(api.getInvalid("/jobs", Map.of("orderBy", "createdAt")).status()).isEqualTo(400);
        assertThat(api.get("/jobs", Map.of("limit", "100")).status()).isEqualTo(200);
    }

    @Test
    void connectionsAndWorkspacesAreListedAndFetched() {
        UUID active = sandbox.addConnection("stripe → postgres", ConnectionScript.hangForever());
        UUID inactive = sandbox.connection("legacy → postgres").inactive().add();

        JsonNode list = api.get("/connections").json();
        assertThat(list.get("data")).hasSize(2);
        JsonNode one = api.get("/connections/" + active).json();
        assertThat(one.get("name").asText()).isEqualTo("stripe → postgres");
        assertThat(one.get("status").asText()).isEqualTo("active");
        assertThat(one.get("workspaceId").asText()).isEqualTo(sandbox.workspace().id().toString());
        assertThat(one.get("sourceId").asText())
                .isEqualTo(sandbox.connectionInfo(active).sourceId().toString());
        assertThat(sandbox.connectionInfo(active).sourceName()).isEqualTo("stripe");
        assertThat(api.get("/connections/" + inactive).json().get("status").asText())
                .isEqualTo("inactive");
        assertThat(api.get("/connections/" + UUID.randomUUID()).status()).isEqualTo(404);

        JsonNode page = api.get("/connections", Map.of("limit", "1")).json();
        assertThat(page.get("data")).hasSize(1);
        assertThat(page.get("next").asText()).endsWith("/connections?limit=1&offset=1");
        assertThat(
                        api.get(
                                        "/connections",
                                        Map.of("workspaceIds", UUID.randomUUID().toString()))
                                .json()
                                .get("data"))
                .isEmpty();

        JsonNode ws = api.get("/workspaces").json().get("data").get(0);
        assertThat(ws.get("workspaceId").asText()).isEqualTo(sandbox.workspace().id().toString());
        assertThat(ws.at("/notifications/success/webhook/enabled").asBoolean()).isFalse();
        assertThat(api.get("/health").body()).isEqualTo("Successful operation");
        assertThat(new ApiClient(sandbox.baseUrl()).get("/health").status())
                .as("health needs no token")
                .isEqualTo(200);
    }
}
