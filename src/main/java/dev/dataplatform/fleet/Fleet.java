package dev.dataplatform.fleet;

import dev.dataplatform.config.StackFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An environment's stacks: the platform ({@code <env>}) first, then its tenant shards at most
 * {@code parallel} at a time. One failing shard does not stop the others; a cancelled run starts no
 * new stack and waits for the running ones.
 */
public final class Fleet {
    /** What one stack's run gave: counts by kind of change, time, and ok / failed / skipped. */
    public record StackResult(String stack, Map<String, Integer> changes, long millis, String result, String error) {
        public boolean failed() {
            return !"ok".equals(result);
        }
    }

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Stops starting new stacks (SIGINT); running ones finish. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean cancelled() {
        return cancelled.get();
    }

    /** The environment's stacks as the project directory has them: the platform, then its shards in name order. */
    public static List<String> stacks(Path directory, String environment) {
        var stacks = new ArrayList<String>();
        stacks.add(environment);
        stacks.addAll(Shard.shardsIn(directory, environment));
        return stacks;
    }

    /**
     * Runs {@code operation} on the platform, then on the shards with at most {@code parallel} at a time.
     * If the platform fails the shards are skipped (they read its outputs).
     */
    public List<StackResult> run(String platform, List<String> shards, int parallel,
                                 Function<String, Map<String, Integer>> operation) {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1");
        }
        var results = Collections.synchronizedList(new ArrayList<StackResult>());
        var first = one(platform, operation);
        results.add(first);
        if (first.failed()) {
            shards.forEach(s -> results.add(new StackResult(s, Map.of(), 0, "skipped", "the platform stack " + platform + " failed")));
            return List.copyOf(results);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, Math.max(1, shards.size())), r -> {
            var t = new Thread(r, "fleet");
            t.setDaemon(true);
            return t;
        });
        var running = new java.util.concurrent.Semaphore(parallel);
        try {
            for (String shard : shards) {
                running.acquireUninterruptibly();
                if (cancelled.get()) {
                    running.release();
                    results.add(new StackResult(shard, Map.of(), 0, "skipped", "cancelled before it started"));
                    continue;
                }
                pool.execute(() -> {
                    try {
                        results.add(one(shard, operation));
                    } finally {
                        running.release();
                    }
                });
            }
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    // running stacks finish: an interrupted update would leave a pending operation in the state
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var ordered = new ArrayList<>(results);
        var order = new ArrayList<String>();
        order.add(platform);
        order.addAll(shards);
        ordered.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.stack())));
        return List.copyOf(ordered);
    }

    private static StackResult one(String stack, Function<String, Map<String, Integer>> operation) {
        long start = System.nanoTime();
        try {
            var changes = operation.apply(stack);
            return new StackResult(stack, Map.copyOf(changes), (System.nanoTime() - start) / 1_000_000, "ok", null);
        } catch (RuntimeException e) {
            return new StackResult(stack, Map.of(), (System.nanoTime() - start) / 1_000_000, "failed",
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** The shard a new client goes to: the least-loaded shard with room; empty when every shard is full. */
    public static java.util.Optional<String> pick(Map<String, Shard.Config> shards) {
        return shards.values().stream()
                .filter(s -> s.clients().size() < s.size())
                .min(java.util.Comparator.<Shard.Config>comparingInt(s -> s.clients().size()).thenComparing(Shard.Config::stack))
                .map(Shard.Config::stack);
    }

    /** The next shard's name: {@code <env>-tenants-NN}, one above the highest existing number. */
    public static String nextShard(String environment, java.util.Collection<String> existing) {
        int highest = existing.stream().map(s -> Shard.NAME.matcher(s)).filter(java.util.regex.Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(2))).max().orElse(0);
        return String.format("%s-tenants-%02d", environment, highest + 1);
    }

    /** A new, empty shard file beside the others (same platform reference and size as {@code like}, if given). */
    public static void createShard(Path directory, String stack, String environment, Shard.Config like) {
        var text = new StringBuilder();
        text.append("config:\n");
        text.append("  # A tenant shard of ").append(environment).append(" (docs/tenants.md \"Shards\"): only its clients; the shared\n");
        text.append("  # settings are the platform stack's, read through a StackReference to data-platform:platformStack.\n");
        text.append("  pulumi:disable-default-providers: [kubernetes]\n");
        text.append("  data-platform:environment: ").append(environment).append('\n');
        if (like != null) {
            text.append("  data-platform:platformStack: ").append(like.platformStack()).append('\n');
            if (like.size() != Shard.DEFAULT_SIZE) {
                text.append("  data-platform:shardSize: ").append(like.size()).append('\n');
            }
        }
        text.append("  data-platform:tenants:\n    clients:\n");
        try {
            Files.writeString(directory.resolve(StackFile.fileName(stack)), text.toString(), java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + StackFile.fileName(stack) + ": " + e.getMessage(), e);
        }
    }

    /** The summary as JSON-ready maps. */
    public static List<Map<String, Object>> json(List<StackResult> results) {
        var out = new ArrayList<Map<String, Object>>();
        for (var r : results) {
            var m = new LinkedHashMap<String, Object>();
            m.put("stack", r.stack());
            m.put("result", r.result());
            m.put("changes", new java.util.TreeMap<>(r.changes()));
            m.put("durationMs", r.millis());
            if (r.error() != null) {
                m.put("error", r.error());
            }
            out.add(m);
        }
        return out;
    }
}
