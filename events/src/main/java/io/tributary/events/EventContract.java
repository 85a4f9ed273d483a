package io.tributary.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The published documents of the contract, for services to serve and tests to check. */
public final class EventContract {

    /** Classpath resource of the AsyncAPI 3.0 document. */
    public static final String ASYNCAPI_RESOURCE = "io/tributary/events/asyncapi.yaml";

    private EventContract() {}

    /** The AsyncAPI 3.0 document (YAML) of every topic and event. */
    public static String asyncApiYaml() {
        return resource(ASYNCAPI_RESOURCE);
    }

    /** The JSON Schema of an event type's data. */
    public static String schemaJson(EventType type) {
        return resource(type.schemaResource());
    }

    /** A classpath resource of this module as UTF-8 text. */
    public static String resource(String path) {
        try (InputStream in = EventContract.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
