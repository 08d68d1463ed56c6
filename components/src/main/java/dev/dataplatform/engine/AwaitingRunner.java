package dev.dataplatform.engine;

import com.pulumi.core.internal.ContextAwareCompletableFuture;
import com.pulumi.deployment.internal.Runner;

import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The offline engine's task runner: the SDK's contract (run the program, then wait until every
 * registered task has finished or one has failed) without the SDK's polling loop.
 *
 * <p>The SDK's own runner re-schedules a check of all in-flight tasks on the async pool until none
 * is left, formatting the whole in-flight map into a log string on every turn whatever the log
 * level; on a small machine that busy loop takes most of a plan's CPU. This runner waits on the
 * tasks' completion instead. Errors are still reported by the SDK's runner ({@code fallback}), so
 * exit codes, logged messages and collected exceptions are exactly the SDK's.
 */
final class AwaitingRunner implements Runner {
    private final Runner fallback;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    /** Fails with the first failure of any registered task. */
    private final CompletableFuture<Void> firstFailure = new CompletableFuture<>();

    AwaitingRunner(Runner fallback) {
        this.fallback = Objects.requireNonNull(fallback);
    }

    @Override
    public <T> void registerTask(String description, CompletableFuture<T> task) {
        Objects.requireNonNull(description);
        pending.add(Objects.requireNonNull(task));
        task.whenComplete((value, failure) -> {
            if (failure != null) {
                firstFailure.completeExceptionally(failure);
            }
            pending.remove(task);
        });
    }

    @Override
    public <T> CompletableFuture<Result<T>> runAsync(Supplier<T> callback) {
        var value = ContextAwareCompletableFuture.supplyAsync(callback);
        registerTask("AwaitingRunner#runAsync", value);
        return value.thenCompose(result -> drained().thenApply(ignored -> result))
                .handle((result, failure) -> fallback.runAsync(() -> {
                    if (failure != null) {
                        throw failure instanceof RuntimeException e ? e : new CompletionException(failure);
                    }
                    return result;
                }))
                .thenCompose(Function.identity());
    }

    /** Completes when no task is pending, or fails with the first task failure. */
    private CompletableFuture<Void> drained() {
        var open = new ArrayList<CompletableFuture<?>>();
        for (var task : pending) {
            if (!task.isDone()) {
                open.add(task);
            } else if (task.isCompletedExceptionally()) {
                return task.thenApply(ignored -> null);
            } else {
                pending.remove(task);
            }
        }
        if (open.isEmpty()) {
            return firstFailure.isCompletedExceptionally() ? firstFailure : CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.anyOf(CompletableFuture.allOf(open.toArray(CompletableFuture<?>[]::new)), firstFailure)
                .thenCompose(ignored -> drained());
    }
}
