package io.tributary.notifier.channel;

import java.time.Duration;

/**
 * The result of one delivery attempt.
 *
 * @param statusCode the receiver's HTTP status, null when there was none (network error, email)
 * @param detail what happened, safe to store and show (never a URL path, a key or a password)
 * @param retryAfter the receiver's Retry-After (429, 503), null when absent
 */
public record AttemptResult(Kind kind, Integer statusCode, String detail, Duration retryAfter) {

    public enum Kind {
        /** Accepted (2xx, or the SMTP server took the message). */
        DELIVERED,
        /** Worth another try: 408, 429, 5xx, network errors, timeouts. */
        RETRY,
        /** Will never work as it is: other 4xx, a redirect, a bad payload. */
        FINAL,
        /** 410 Gone: the destination was removed; the subscription gets disabled. */
        GONE,
        /** The SSRF guard refused the destination: nothing was sent. */
        REFUSED
    }

    public static AttemptResult delivered(Integer statusCode, String detail) {
        return new AttemptResult(Kind.DELIVERED, statusCode, detail, null);
    }

    public static AttemptResult retry(Integer statusCode, String detail, Duration retryAfter) {
        return new AttemptResult(Kind.RETRY, statusCode, detail, retryAfter);
    }

    public static AttemptResult failed(Integer statusCode, String detail) {
        return new AttemptResult(Kind.FINAL, statusCode, detail, null);
    }

    public static AttemptResult refused(String detail) {
        return new AttemptResult(Kind.REFUSED, null, detail, null);
    }
}
