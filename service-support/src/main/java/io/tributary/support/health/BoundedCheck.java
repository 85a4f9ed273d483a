package io.tributary.support.health;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Runs a health check that may block (a frozen database answers nothing) on its own thread and
 * answers within {@code timeout}: no answer in time is DOWN. One look at a time: while a look still
 * hangs, the next call waits for that one instead of starting another thread.
 */
public final class BoundedCheck {
    private final String name;
    private final Duration timeout;
    private final ExecutorService thread;
    private CompletableFuture<Boolean> inFlight;

    public BoundedCheck(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
        this.thread =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "health-" + name);
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** The check's answer, or DOWN when it failed or did not answer within the timeout. */
    public HealthCheckResponse call(Callable<Boolean> look) {
        CompletableFuture<Boolean> answer = look(look);
        try {
            boolean up = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named(name).status(up).build();
        } catch (TimeoutException e) {
            return down("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return down(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        }
    }

    private synchronized CompletableFuture<Boolean> look(Callable<Boolean> look) {
        if (inFlight == null || inFlight.isDone()) {
            CompletableFuture<Boolean> next = new CompletableFuture<>();
            thread.execute(
                    () -> {
                        try {
                            next.complete(look.call());
                        } catch (Exception | Error e) {
                            next.completeExceptionally(e);
                        }
                    });
            inFlight = next;
        }
        return inFlight;
    }

    private HealthCheckResponse down(String detail) {
        return HealthCheckResponse.named(name).down().withData("detail", detail).build();
    }

    public void close() {
        thread.shutdownNow();
    }
}
