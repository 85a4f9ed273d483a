package io.tributary.trigger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.events.JobType;
import io.tributary.events.Topics;
import io.tributary.support.ApiException;
import io.tributary.support.cel.Condition;
import io.tributary.support.cel.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Kafka trigger: records of another system's topic that pass the filter request syncs of {@code
 * connectionIds}, at most one per connection per {@code minInterval}.
 *
 * @param topic the external topic to consume
 * @param groupSuffix optional: the consumer group is {@code tributary-trigger-<id>[-<suffix>]}
 *     (change it to re-read a topic from {@code startFrom} under a fresh group)
 * @param format json (default), cloudevents-binary or cloudevents-structured
 * @param filter a CEL condition ({@link Conditions#KAFKA_RECORDS}: {@code data} is the JSON value,
 *     for CloudEvents the structured envelope, so {@code data.type}, {@code data.data.table};
 *     {@code headers} by lower-case name, {@code key}, {@code topic}); null: every record
 * @param minInterval at most one request per connection per interval (default PT1M; PT0S: every
 *     matching record); records held back in an interval yield one more request when it ends
 * @param startFrom latest (default) or earliest: where a new consumer group starts
 */
public record KafkaTriggerDefinition(
        String id,
        String topic,
        String groupSuffix,
        KafkaPayloadFormat format,
        String filter,
        List<String> connectionIds,
        JobType jobType,
        Duration minInterval,
        KafkaStartFrom startFrom,
        Boolean enabled) {

    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MAX_MIN_INTERVAL = Duration.ofDays(1);
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9._-]{1,50}");

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    /** The compiled filter, or null when every record passes. */
    public Condition compiledFilter() {
        return filter == null ? null : Conditions.KAFKA_RECORDS.compile(filter);
    }

    /** The consumer group of this trigger: {@code tributary-trigger-<id>[-<suffix>]}. */
    public String groupId() {
        return "tributary-trigger-" + id + (groupSuffix == null ? "" : "-" + groupSuffix);
    }

    public KafkaTriggerDefinition validated() {
        Ids.requireDefinitionId(id);
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.matches("\\.{1,2}")) {
            throw ApiException.badRequest(
                    "topic must be a Kafka topic name ([A-Za-z0-9._-], up to 249 characters)");
        }
        if (topic.equals(Topics.SYNC_REQUESTS) || topic.startsWith("tributary.trigger-service.")) {
            throw ApiException.badRequest(
                    "topic "
                            + topic
                            + " is written by this service: consuming it would loop (use an event"
                            + " rule to react to tributary.sync.events)");
        }
        if (groupSuffix != null && !SUFFIX.matcher(groupSuffix).matches()) {
            throw ApiException.badRequest("groupSuffix must match " + SUFFIX.pattern());
        }
        Duration interval = minInterval == null ? DEFAULT_MIN_INTERVAL : minInterval;
        if (interval.isNegative() || interval.compareTo(MAX_MIN_INTERVAL) > 0) {
            throw ApiException.badRequest("minInterval must be between PT0S and P1D");
        }
        List<String> connections = Ids.requireConnections("connectionIds", connectionIds);
        return new KafkaTriggerDefinition(
                id,
                topic,
                groupSuffix,
                format == null ? KafkaPayloadFormat.JSON : format,
                ConditionField.check("filter", filter, Conditions.KAFKA_RECORDS),
                connections,
                jobType == null ? JobType.SYNC : jobType,
                interval,
                startFrom == null ? KafkaStartFrom.LATEST : startFrom,
                isEnabled());
    }

    /** What the API shows: the definition and its consumer group. */
    public JsonNode view() {
        ObjectNode node = (ObjectNode) EventJson.tree(this);
        node.put("groupId", groupId());
        return node;
    }
}
