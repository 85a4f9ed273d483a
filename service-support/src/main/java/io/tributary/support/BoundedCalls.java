package io.tributary.support;

import io.opentelemetry.context.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Blocking work a caller must not wait on past a deadline (a webhook sender gives up after ~10 s):
 * it runs on a thread of its own and the caller stops waiting at the deadline with a 503, whatever
 * the database does meanwhile. Work whose caller already gave up is not started; work that ends
 * after its caller gave up hands its result to {@code late}, so a change that committed after all
 * can be put right. The trace context goes with the work.
 */
@ApplicationScoped
public class BoundedCalls {
    /**
     * Calls running at once, abandoned ones included: beyond it a caller is answered 503 at once.
     */
    public static final int MAX_RUNNING = 256;

    private static final int WAITING = 0;
    private static final int GAVE_UP = 1;
    private static final int ANSWERED = 2;

    private final Semaphore running = new Semaphore(MAX_RUNNING);
    private final ExecutorService threads =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "bounded-call");
                        t.setDaemon(true);
                        return t;
                    });

    /** See {@link #call(long, String, Supplier, Consumer)}; a late result is dropped. */
    public <T> T call(long deadlineNanos, String what, Supplier<T> work) {
        return call(deadlineNanos, what, work, late -> {});
    }

    /**
     * The work's result, its exception as thrown, or a 503 once {@code deadlineNanos} (a {@link
     * System#nanoTime()} value) passed.
     *
     * @param what what is waited for, for the 503's detail
     * @param late gets the result of work that succeeded after its caller gave up
     */
    public <T> T call(long deadlineNanos, String what, Supplier<T> work, Consumer<T> late) {
        if (!running.tryAcquire()) {
            throw ApiException.unavailable(
                    "too many calls are waiting for " + what + "; nothing is lost, retry later");
        }
        AtomicInteger state = new AtomicInteger(WAITING);
        CompletableFuture<T> result = new CompletableFuture<>();
        threads.execute(Context.current().wrap(() -> run(work, late, state, result)));
        try {
            return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (state.compareAndSet(WAITING, GAVE_UP)) {
                throw ApiException.unavailable(
                        what + " did not answer in time; nothing is lost, retry later");
            }
            return result.join(); // answered in the same instant
        } catch (ExecutionException e) {
            throw thrown(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.compareAndSet(WAITING, GAVE_UP);
            throw ApiException.unavailable("interrupted; retry later");
        }
    }

    /** What the work threw, to be thrown again by its caller. */
    public static RuntimeException thrown(ExecutionException e) {
        return e.getCause() instanceof RuntimeException runtime
                ? runtime
                : new IllegalStateException(e.getCause());
    }

    private <T> void run(
            Supplier<T> work, Consumer<T> late, AtomicInteger state, CompletableFuture<T> result) {
        try {
            if (state.get() != WAITING) {
                return;
            }
            T value = work.get();
            if (state.compareAndSet(WAITING, ANSWERED)) {
                result.complete(value);
            } else {
                late.accept(value);
            }
        } catch (RuntimeException | Error e) {
            state.compareAndSet(WAITING, ANSWERED);
            result.completeExceptionally(e);
        } finally {
            running.release();
        }
    }

    @PreDestroy
    void stop() {
        threads.shutdown();
    }
}
