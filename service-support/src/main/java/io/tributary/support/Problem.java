package io.tributary.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * An RFC 9457 problem body ({@code application/problem+json}): every error answer of a Tributary
 * API has this shape.
 *
 * @param type a URI naming the kind of problem, e.g. {@code
 *     https://tributary.io/problems/not-found}
 * @param title a short summary of the kind, the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong in this occurrence, for the caller (never a secret or a stack
 *     trace)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Prefix of every problem {@code type} URI. */
    public static final String TYPE_BASE = "https://tributary.io/problems/";

    /** A problem whose type is derived from the title: "Not Found" → {@code .../not-found}. */
    public static Problem of(int status, String title, String detail) {
        return new Problem(typeOf(title), title, status, detail);
    }

    static String typeOf(String title) {
        String slug =
                title == null
                        ? "error"
                        : title.toLowerCase(Locale.ROOT)
                                .replaceAll("[^a-z0-9]+", "-")
                                .replaceAll("(^-|-$)", "");
        return TYPE_BASE + (slug.isEmpty() ? "error" : slug);
    }
}
