package io.tributary.transform.dbt;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One dbt node's result in a run ({@code run_results.json}, or its progress from the logs while the
 * run is going).
 *
 * @param status dbt's status: success, error, skipped, pass, fail, warn, runtime error; or {@code
 *     started} while it runs
 * @param rowsAffected {@code adapter_response.rows_affected}, when the adapter reports it
 * @param failures failing rows of a test
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeResult(
        String uniqueId,
        String status,
        Double executionTime,
        Long rowsAffected,
        Long failures,
        String message) {

    /** The resource type from the unique id, e.g. {@code model} of {@code model.shop.orders}. */
    public String resourceType() {
        int dot = uniqueId.indexOf('.');
        return dot < 0 ? uniqueId : uniqueId.substring(0, dot);
    }

    /** An error or a failed test: what makes a run fail. */
    public boolean failed() {
        return "error".equals(status) || "fail".equals(status) || "runtime error".equals(status);
    }
}
