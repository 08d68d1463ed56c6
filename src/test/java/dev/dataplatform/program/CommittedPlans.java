package dev.dataplatform.program;

import dev.dataplatform.plan.Plan;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offline plans of the committed stacks (Pulumi.STACK.yaml at the repository root), each made once per test
 * JVM and shared by every test that only reads it: a plan takes about a second, and the tests of the committed
 * stacks asked for the same three plans some forty times. A plan is immutable (its recording holds copies).
 */
public final class CommittedPlans {
    static final Path ROOT = Path.of("..");
    private static final Map<String, Plan.Result> PLANS = new ConcurrentHashMap<>();

    private CommittedPlans() {
    }

    /**
     * The plan of the committed stack {@code stack}, as {@code Plan.run(ROOT, stack)} makes it (a tenant shard over
     * the shared plan of its platform stack).
     */
    public static Plan.Result of(String stack) {
        if (dev.dataplatform.fleet.Shard.isShard(stack)) {
            // A shard reads its platform's outputs: from the platform's shared plan, as `plan --platform-outputs` would.
            var platform = of(dev.dataplatform.fleet.Shard.environmentOf(stack));
            return PLANS.computeIfAbsent(stack, s -> Plan.run(ROOT, s, PlatformProgram::declare, null,
                    platform.recording().outputs()));
        }
        return PLANS.computeIfAbsent(stack, s -> Plan.run(ROOT, s));
    }
}
