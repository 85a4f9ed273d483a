package io.tributary.sandbox;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Validates requests and responses against the official Airbyte spec, vendored as test data in
 * {@code src/test/resources/airbyte/} (source, commit and licence in the README there) and read
 * from the classpath, or from {@code -Dairbyte.spec=PATH} to try another version. When the file
 * cannot be found, every check fails and says where it was looked for: validation never turns
 * itself off.
 */
final class SpecValidator {

    private static final Logger LOG = Logger.getLogger(SpecValidator.class.getName());

    /** The classpath resource of the vendored spec. */
    static final String RESOURCE = "airbyte/airbyte-public-api-v1.yaml";

    /** Our description of the Configuration API operations the sandbox serves. */
    static final String CONFIG_RESOURCE = "airbyte-config/config-api-shapes.yaml";

    private static OpenApiInteractionValidator validator;
    private static OpenApiInteractionValidator configValidator;

    private SpecValidator() {}

    /** The spec's text: {@code -Dairbyte.spec}, else the vendored copy; fails when missing. */
    static String specText() {
        String override = System.getProperty("airbyte.spec");
        if (override != null && !override.isBlank()) {
            Path file = Path.of(override);
            if (!Files.isRegularFile(file)) {
                throw new AssertionError(
                        "-Dairbyte.spec=" + override + " is not a file: cannot check the spec");
            }
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (InputStream in = SpecValidator.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new AssertionError(
                        "The Airbyte spec "
                                + RESOURCE
                                + " is not on the test classpath: it is vendored in"
                                + " deploy/airbyte-sandbox/src/test/resources/airbyte/ (see the"
                                + " README there); spec conformance cannot be checked without it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@link #specText()} reads from, for messages. */
    static String specSource() {
        String override = System.getProperty("airbyte.spec");
        return override != null && !override.isBlank() ? override : "classpath:" + RESOURCE;
    }

    private static synchronized OpenApiInteractionValidator validator() {
        if (validator == null) {
            validator =
                    OpenApiInteractionValidator.createFor(load(specText(), specSource()))
                            // Paths are given relative to the API prefix; the spec's server is /v1.
                            .withBasePathOverride("/")
                            .withLevelResolver(
                                    LevelResolver.create()
                                            // Airbyte answers 401/409/422/429/5xx that the spec
                                            // does not list; their bodies follow the problems
                                            // file and the tests check them field by field.
                                            .withLevel(
                                                    "validation.response.status.unknown",
                                                    ValidationReport.Level.IGNORE)
                                            // Airbyte sends problem bodies with 400/404 (and a
                                            // text body with /health) where the spec declares no
                                            // content; the tests check those bodies themselves.
                                            .withLevel(
                                                    "validation.response.body.unexpected",
                                                    ValidationReport.Level.IGNORE)
                                            // The token schema requires grant_type but declares
                                            // only "grant-type" (a known typo), so no body the
                                            // SDKs send passes a closed-object check.
                                            .withLevel(
                                                    "validation.request.body.schema.additionalProperties",
                                                    ValidationReport.Level.IGNORE)
                                            .build())
                            .build();
        }
        return validator;
    }

    /**
     * The official file has two dangling $refs, both in operations the sandbox does not serve
     * ({@code POST /dataplanes}, {@code GET /embedded/organizations}). The validator's own loader
     * refuses any parse message, so parse here, tolerate exactly those, and refuse anything else.
     */
    static OpenAPI load(String text, String spec) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        // Parameters given as a bare $ref (status, jobType) are only type-checked once inlined.
        options.setResolveFully(true);
        // The validator reads 3.1 schemas without their "type" (swagger-parser keeps 3.1 types
        // in another field), so a UUID query parameter fails as bad JSON. The file uses no 3.1
        // construct (no type arrays, const or null types), so reading it as 3.0 is equivalent.
        if (!text.startsWith("openapi: 3.1.0")) {
            throw new IllegalStateException("expected an OpenAPI 3.1.0 file: " + spec);
        }
        text = "openapi: 3.0.3" + text.substring("openapi: 3.1.0".length());
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        List<String> unexpected =
                result.getMessages().stream()
                        .filter(
                                m ->
                                        !m.contains("DataplaneCreateResponseBody")
                                                && !m.contains("ForbiddenResponse"))
                        .toList();
        if (result.getOpenAPI() == null || !unexpected.isEmpty()) {
            throw new IllegalStateException("cannot use " + spec + ": " + result.getMessages());
        }
        if (!result.getMessages().isEmpty()) {
            LOG.info(
                    "known defects of the official spec, outside the simulated operations: "
                            + result.getMessages());
        }
        OpenAPI api = result.getOpenAPI();
        // The validator's JSON-schema library rejects the spec's discriminator on the stream
        // mapper "conditions" as a whole schema ("must be defined as a string property"), which
        // would block every ConnectionResponse check. Dropping discriminators keeps the oneOf
        // checks they decorate.
        Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        api.getComponents()
                .getSchemas()
                .values()
                .forEach(schema -> dropDiscriminators(schema, seen));
        return api;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void dropDiscriminators(Schema<?> schema, Set<Schema<?>> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        schema.setDiscriminator(null);
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> dropDiscriminators((Schema) p, seen));
        }
        dropDiscriminators(schema.getItems(), seen);
        for (List<Schema> group :
                List.of(
                        nonNull(schema.getAllOf()),
                        nonNull(schema.getOneOf()),
                        nonNull(schema.getAnyOf()))) {
            group.forEach(p -> dropDiscriminators(p, seen));
        }
        if (schema.getAdditionalProperties() instanceof Schema extra) {
            dropDiscriminators(extra, seen);
        }
    }

    @SuppressWarnings("rawtypes")
    private static List<Schema> nonNull(List<Schema> list) {
        return list == null ? List.of() : list;
    }

    private static synchronized OpenApiInteractionValidator configValidator() {
        if (configValidator == null) {
            String text;
            try (InputStream in =
                    SpecValidator.class.getClassLoader().getResourceAsStream(CONFIG_RESOURCE)) {
                if (in == null) {
                    throw new AssertionError(CONFIG_RESOURCE + " is not on the test classpath");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            configValidator =
                    OpenApiInteractionValidator.createForInlineApiSpecification(text)
                            .withBasePathOverride("/")
                            .withLevelResolver(
                                    LevelResolver.create()
                                            // 401 and injected 429/5xx carry the public API's
                                            // bodies; the tests check those themselves.
                                            .withLevel(
                                                    "validation.response.status.unknown",
                                                    ValidationReport.Level.IGNORE)
                                            .build())
                            .build();
        }
        return configValidator;
    }

    /**
     * Like {@link #check} for the Configuration API, against {@link #CONFIG_RESOURCE}: {@code path}
     * is the spec's ({@code /v1/jobs/get}).
     */
    static void checkConfigApi(
            String path,
            String requestBody,
            int status,
            String responseContentType,
            String responseBody,
            boolean checkRequest) {
        validate(
                configValidator(),
                "Configuration API shape violation for ",
                "POST",
                path,
                Map.of(),
                "application/json",
                requestBody,
                status,
                responseContentType,
                responseBody,
                checkRequest);
    }

    /**
     * Throws an AssertionError listing the spec violations of one exchange. {@code checkRequest} is
     * false for requests a test makes invalid on purpose.
     */
    static void check(
            String method,
            String path,
            Map<String, String> query,
            String contentType,
            String requestBody,
            int status,
            String responseContentType,
            String responseBody,
            boolean checkRequest) {
        validate(
                validator(),
                "spec violation for ",
                method,
                path,
                query,
                contentType,
                requestBody,
                status,
                responseContentType,
                responseBody,
                checkRequest);
    }

    private static void validate(
            OpenApiInteractionValidator v,
            String label,
            String method,
            String path,
            Map<String, String> query,
            String contentType,
            String requestBody,
            int status,
            String responseContentType,
            String responseBody,
            boolean checkRequest) {
        SimpleRequest.Builder rb = new SimpleRequest.Builder(Request.Method.valueOf(method), path);
        query.forEach(rb::withQueryParam);
        if (contentType != null) {
            rb.withContentType(contentType);
        }
        if (requestBody != null) {
            rb.withBody(requestBody);
        }
        SimpleRequest request = rb.build();
        SimpleResponse.Builder sb = SimpleResponse.Builder.status(status);
        if (responseContentType != null) {
            sb.withContentType(responseContentType);
        }
        if (responseBody != null && !responseBody.isEmpty()) {
            sb.withBody(responseBody);
        }
        ValidationReport report =
                checkRequest
                        ? v.validate(request, sb.build())
                        : v.validateResponse(path, Request.Method.valueOf(method), sb.build());
        if (report.hasErrors()) {
            throw new AssertionError(
                    label
                            + method
                            + " "
                            + path
                            + " -> "
                            + status
                            + " "
                            + responseBody
                            + "\n"
                            + report.getMessages());
        }
    }
}
