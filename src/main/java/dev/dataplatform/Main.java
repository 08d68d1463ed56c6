package dev.dataplatform;

import com.pulumi.Pulumi;
import dev.dataplatform.config.EngineConfigSource;
import dev.dataplatform.config.PlatformConfigParser;
import dev.dataplatform.engine.OfflineEngine;
import dev.dataplatform.plan.Cli;
import dev.dataplatform.plan.FastStart;
import dev.dataplatform.program.PlatformProgram;

/**
 * Entry point of the program jar. Without arguments it is the Pulumi program the engine runs
 * (`pulumi up`/`preview`); with arguments it is the command line (`plan`, ...).
 */
public final class Main {
    private Main() {
    }

    /** The JDK property that sizes the pool CompletableFuture's async tasks run on. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        commonPoolParallelism(Runtime.getRuntime().availableProcessors(), System.getProperty(COMMON_POOL_PARALLELISM))
                .ifPresent(parallelism -> System.setProperty(COMMON_POOL_PARALLELISM, parallelism));
        if (args.length == 0 && !underEngine(System.getenv())) {
            // Started by hand without a command: not the engine (which sets PULUMI_MONITOR/PULUMI_ENGINE).
            System.exit(Cli.run(args, System.out, System.err));
        }
        if (args.length == 0) {
            Pulumi.run(ctx -> {
                var source = EngineConfigSource.fromContext(ctx);
                if (dev.dataplatform.fleet.Shard.isShard(ctx.stackName())) {
                    // A tenant shard: its clients over the platform stack's shared settings (StackReference).
                    var shard = dev.dataplatform.fleet.Shard.parse(source, ctx.projectName());
                    dev.dataplatform.fleet.Shard.declare(ctx, shard, config -> PlatformProgram.declare(ctx, config));
                } else {
                    PlatformProgram.declare(ctx, PlatformConfigParser.parse(source));
                }
            });
            return;
        }
        if (args[0].equals("plan")) {
            var relaunched = FastStart.relaunch(args);
            if (relaunched.isPresent()) {
                System.exit(relaunched.get());
            }
            // Overlap the engine's start-up with argument and config parsing (2+ cores).
            OfflineEngine.warmUpInBackground();
        }
        System.exit(Cli.run(args, System.out, System.err));
    }

    /**
     * Whether the Pulumi engine started this process: the Java language host passes the engine's and
     * the resource monitor's addresses in these variables (read by the SDK's DeploymentImpl).
     */
    static boolean underEngine(java.util.Map<String, String> environment) {
        return environment.containsKey("PULUMI_MONITOR") || environment.containsKey("PULUMI_ENGINE");
    }

    /**
     * The SDK runs every resource's work as CompletableFuture async tasks. On one or two cores the
     * common pool gets parallelism 1, and CompletableFuture then starts a new thread per task
     * instead of using the pool: thousands of threads for a large stack (a 100-tenant plan took
     * twice as long). A parallelism of 2 makes it use the pool. Must run before anything touches
     * CompletableFuture; an explicit setting is left alone.
     */
    static java.util.Optional<String> commonPoolParallelism(int processors, String configured) {
        return configured == null && processors <= 2 ? java.util.Optional.of("2") : java.util.Optional.empty();
    }
}
