package io.tributary.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Airbyte's sync notification webhook: one unsigned POST of {@code {text, blocks, data}} when a
 * sync succeeds or fails; nothing for cancelled jobs, resets or clears, and no retry (Airbyte's
 * {@code SlackNotificationClient} logs a failed delivery and moves on).
 */
final class WebhookNotifier implements JobEngine.TerminalListener {

    private static final Logger LOG = Logger.getLogger(WebhookNotifier.class.getName());

    private final Supplier<String> url;
    private final Supplier<String> uiBase;
    private final SandboxWorkspace workspace;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    WebhookNotifier(Supplier<String> url, Supplier<String> uiBase, SandboxWorkspace workspace) {
        this.url = url;
        this.uiBase = uiBase;
        this.workspace = workspace;
    }

    @Override
    public void onTerminal(JobSnapshot job, SandboxConnection connection) {
        String target = url.get();
        if (target == null
                || job.jobType() != JobType.SYNC
                || job.status() == JobStatus.CANCELLED) {
            return;
        }
        String body = payload(job, connection).toString();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(target))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                        (resp, error) -> {
                            if (error != null || resp.statusCode() / 100 != 2) {
                                LOG.log(
                                        Level.INFO,
                                        "webhook for job {0} not delivered: {1}",
                                        new Object[] {
                                            job.jobId(), error != null ? error : resp.statusCode()
                                        });
                            }
                        });
    }

    ObjectNode payload(JobSnapshot job, SandboxConnection c) {
        boolean success = job.status() == JobStatus.SUCCEEDED;
        String base = uiBase.get() + "/workspaces/" + workspace.id();
        String connUrl = base + "/connections/" + c.connectionId();
        String sourceUrl = base + "/source/" + c.sourceId();
        String destUrl = base + "/destination/" + c.destinationId();
        long seconds = job.updatedAt().getEpochSecond() - job.createdAt().getEpochSecond();
        long records = job.rowsSynced() == null ? 0 : job.rowsSynced();
        long bytes = job.bytesSynced() == null ? 0 : job.bytesSynced();
        String duration = formatDuration(seconds);

        ObjectNode root = JsonViews.JSON.createObjectNode();
        root.put(
                "text",
                success
                        ? "Your connection "
                                + c.name()
                                + " from "
                                + c.sourceName()
                                + " to "
                                + c.destinationName()
                                + " succeeded\n\nYou can access its logs here: "
                                + connUrl
                                + "\n\nJob ID: "
                                + job.jobId()
                        : "Your connection "
                                + c.name()
                                + " from "
                                + c.sourceName()
                                + " to "
                                + c.destinationName()
                                + " just failed...\nThis happened with "
                                + job.errorMessage()
                                + "\n\nYou can access its logs here: "
                                + connUrl
                                + "\n\nJob ID: "
                                + job.jobId());
        ArrayNode blocks = root.putArray("blocks");
        section(blocks)
                .put(
                        "text",
                        (success ? "Sync completed: <" : "Sync failure occurred: <")
                                + connUrl
                                + "|"
                                + c.name()
                                + ">");
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        field(fields, "*Source:*");
        field(fields, "<" + sourceUrl + "|" + c.sourceName() + ">");
        field(fields, "*Destination:*");
        field(fields, "<" + destUrl + "|" + c.destinationName() + ">");
        field(fields, "*Duration:*");
        field(fields, duration);
        if (!success) {
            section(blocks)
                    .put(
                            "text",
                            "*Failure reason:*\n\n```\n[system_error] "
                                    + job.errorMessage()
                                    + "\n```\n");
        }
        section(blocks)
                .put(
                        "text",
                        "*Sync Summary:*\n"
                                + records
                                + " record(s) extracted / "
                                + records
                                + " record(s) loaded\n"
                                + formatBytes(bytes)
                                + " extracted / "
                                + formatBytes(bytes)
                                + " loaded\n");

        ObjectNode data = root.putObject("data");
        ref(data, "workspace", workspace.id().toString(), workspace.name(), base);
        ref(data, "connection", c.connectionId().toString(), c.name(), connUrl);
        ref(data, "source", c.sourceId().toString(), c.sourceName(), sourceUrl);
        ref(data, "destination", c.destinationId().toString(), c.destinationName(), destUrl);
        data.put("jobId", job.jobId());
        data.put("success", success);
        data.put("startedAt", JsonViews.time(job.createdAt()));
        data.put("finishedAt", JsonViews.time(job.updatedAt()));
        data.put("bytesEmitted", bytes);
        data.put("bytesCommitted", bytes);
        data.put("recordsEmitted", records);
        data.put("recordsCommitted", records);
        data.put("recordsFilteredOut", 0);
        data.put("bytesFilteredOut", 0);
        if (success) {
            data.putNull("errorMessage");
            data.putNull("errorType");
            data.putNull("errorOrigin");
        } else {
            data.put("errorMessage", job.errorMessage());
            data.put("errorType", "system_error");
            data.put("errorOrigin", "source");
        }
        data.put("durationInSeconds", seconds);
        data.put("durationFormatted", duration);
        data.put("bytesEmittedFormatted", formatBytes(bytes));
        data.put("bytesCommittedFormatted", formatBytes(bytes));
        return root;
    }

    private static ObjectNode section(ArrayNode blocks) {
        return blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn");
    }

    private static void field(ArrayNode fields, String text) {
        fields.addObject().put("type", "mrkdwn").put("text", text);
    }

    private static void ref(ObjectNode data, String key, String id, String name, String url) {
        data.putObject(key).put("id", id).put("name", name).put("url", url);
    }

    /** "1 hours 0 min", "2 min 5 sec", "7 sec": the forms Airbyte's summaries use. */
    static String formatDuration(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + " hours " + m + " min";
        }
        if (m > 0) {
            return m + " min " + s + " sec";
        }
        return s + " sec";
    }

    /** "1000 B", "1.50 kB", ...: byte counts below 1024 stay in bytes, as in the examples. */
    static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f %s", v, units[unit]);
    }
}
