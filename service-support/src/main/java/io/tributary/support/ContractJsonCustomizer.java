package io.tributary.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.tributary.events.EventJson;
import jakarta.inject.Singleton;

/**
 * REST JSON follows the event contract: RFC 3339 UTC times, ISO-8601 durations, no nulls, unknown
 * fields ignored.
 */
@Singleton
public class ContractJsonCustomizer implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        EventJson.configure(mapper);
    }
}
