package io.tributary.trigger.messaging;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.support.ApiException;
import io.tributary.support.BoundedCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs the small transactions of concurrent callers as one (group commit): one thread takes every
 * piece of work waiting, runs them in one transaction and answers each caller after the commit.
 * Under load this saves a transaction, a commit and a connection hand-over per caller; alone, a
 * caller waits no longer than for its own transaction.
 *
 * <p>Callers are bounded as with {@code BoundedCalls}: past its deadline a caller is answered 503;
 * work it gave up before it was taken is not run; work taken before hands its result to {@code
 * late}. Any failure rolls the whole group back and each of its callers gets that failure (their
 * senders retry; nothing of theirs was stored).
 */
final class GroupCommit<T> {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    private final String what;
    private final int maxGroup;
    private final LinkedBlockingQueue<Work<T>> queue;
    private final Thread thread;
    private volatile boolean stopped;

    private static final class Work<T> {
        final Supplier<T> body;
        final Context trace = Context.current();
        final AtomicBoolean gaveUp = new AtomicBoolean();
        final AtomicBoolean taken = new AtomicBoolean();
        final CompletableFuture<T> result = new CompletableFuture<>();

        Work(Supplier<T> body) {
            this.body = body;
        }
    }

    /**
     * @param what what is waited for, for the 503's detail
     * @param maxWaiting callers waiting at once; beyond it a caller is answered 503 at once
     * @param maxGroup pieces of work in one transaction at most
     */
    GroupCommit(String name, String what, int maxWaiting, int maxGroup) {
        this.what = what;
        this.maxGroup = maxGroup;
        this.queue = new LinkedBlockingQueue<>(maxWaiting);
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The work's result once its group committed, its exception, or a 503 once {@code
     * deadlineNanos} (a {@link System#nanoTime()} value) passed.
     */
    T call(long deadlineNanos, Supplier<T> body, Consumer<T> late) {
        Work<T> work = new Work<>(body);
        if (stopped || !queue.offer(work)) {
            throw ApiException.unavailable(
                    "too many calls are waiting for " + what + "; nothing is lost, retry later");
        }
        try {
            return work.result.get(
                    Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            work.gaveUp.set(true);
            if (work.taken.get()) {
                // In a group already: whatever it stored is handed to late once it committed.
                work.result.thenAccept(late);
            }
            throw ApiException.unavailable(
                    what + " did not answer in time; nothing is lost, retry later");
        } catch (ExecutionException e) {
            throw BoundedCalls.thrown(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.gaveUp.set(true);
            throw ApiException.unavailable("interrupted; retry later");
        }
    }

    private void loop() {
        List<Work<T>> group = new ArrayList<>(maxGroup);
        while (!stopped) {
            try {
                Work<T> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                runGroup(group);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                LOG.warnf("%s: group commit failed: %s", what, e.toString());
            } finally {
                group.clear();
            }
        }
    }

    private void runGroup(List<Work<T>> group) {
        List<Work<T>> taken = new ArrayList<>(group.size());
        for (Work<T> w : group) {
            // Taken before the caller looks again: a caller that gave up after this sees "taken".
            w.taken.set(true);
            if (w.gaveUp.get()) {
                w.result.cancel(false);
            } else {
                taken.add(w);
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        List<T> results = new ArrayList<>(taken.size());
        try {
            QuarkusTransaction.requiringNew()
                    .run(
                            () -> {
                                for (Work<T> w : taken) {
                                    try (Scope ignored = w.trace.makeCurrent()) {
                                        results.add(w.body.get());
                                    }
                                }
                            });
        } catch (RuntimeException | Error e) {
            taken.forEach(w -> w.result.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < taken.size(); i++) {
            taken.get(i).result.complete(results.get(i));
        }
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }
}
