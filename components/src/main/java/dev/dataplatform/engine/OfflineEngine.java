package dev.dataplatform.engine;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.core.internal.OutputData;
import com.pulumi.deployment.internal.DeploymentImpl;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.PulumiTestInternal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs a Pulumi program in-process on the SDK's test engine, without the Pulumi CLI or cloud
 * credentials, and records what the real engine would receive. The offline plan and every test
 * use it, so the program function is the same one `pulumi up` runs.
 *
 * <p>The SDK keeps one deployment per JVM, so runs are serialized and always cleaned up.
 */
public final class OfflineEngine {
    private static final Object LOCK = new Object();
    /** A plan takes well under a second; a run this long is a dependency cycle, not a slow program. */
    static final long TIMEOUT_SECONDS = Long.getLong("dataplatform.engineTimeoutSeconds", 120);

    private OfflineEngine() {
    }

    /**
     * How to run.
     *
     * @param config     full config keys ("data-platform:environment") to raw values, for
     *                   programs that read {@code ctx.config()}
     * @param secretKeys which of those keys are secrets
     * @param disabledDefaultProviders the stack's {@code pulumi:disable-default-providers}: packages (or
     *                   {@code *}) whose resources the engine refuses to declare without an explicit provider
     */
    public record RunOptions(String project, String stack, boolean preview,
                             Map<String, String> config, Set<String> secretKeys, Set<String> disabledDefaultProviders) {
        public RunOptions(String project, String stack, boolean preview, Map<String, String> config, Set<String> secretKeys) {
            this(project, stack, preview, config, secretKeys, Set.of());
        }

        public static RunOptions preview(String project, String stack) {
            return new RunOptions(project, stack, true, Map.of(), Set.of());
        }

        public RunOptions withConfig(Map<String, String> config, Set<String> secretKeys) {
            return new RunOptions(project, stack, preview, Map.copyOf(config), Set.copyOf(secretKeys), disabledDefaultProviders);
        }

        /** As the engine with {@code pulumi:disable-default-providers} set to {@code packages}. */
        public RunOptions withDefaultProvidersDisabled(Set<String> packages) {
            return new RunOptions(project, stack, preview, config, secretKeys, Set.copyOf(packages));
        }
    }

    public static Recording run(RunOptions options, Consumer<Context> program) {
        return run(options, program, TIMEOUT_SECONDS);
    }

    /** As {@link #run(RunOptions, Consumer)}, failing after {@code timeoutSeconds}. */
    public static Recording run(RunOptions options, Consumer<Context> program, long timeoutSeconds) {
        synchronized (LOCK) {
            var logged = Collections.synchronizedList(new ArrayList<String>());
            var mocks = new FailLoudlyMocks();
            var builder = PulumiTestInternal.builder()
                    .options(TestOptions.builder()
                            .projectName(options.project())
                            .stackName(options.stack())
                            .preview(options.preview())
                            .build())
                    .standardLogger(quietLogger(logged))
                    .mocks(mocks)
                    .config(options.config(), options.secretKeys())
                    .deploymentFactory(state -> {
                        state.runner = new AwaitingRunner(state.runner);
                        return new DeploymentImpl(state);
                    });
            var monitor = new RecordingMonitor[1];
            builder.monitorDecorator(ignored -> monitor[0] = new RecordingMonitor(
                    mocks, PulumiTestInternal.mockLog(), options.project(), options.stack(), options.preview(),
                    options.disabledDefaultProviders()));
            try {
                TestResult result;
                try {
                    result = builder.build().runTestAsync(program).get(timeoutSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("the program did not finish within " + timeoutSeconds + " s: a resource "
                            + "probably waits on itself (e.g. dependsOn its own parent component)", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the engine failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the program ran", e);
                }
                var outputs = new TreeMap<String, Object>();
                result.outputs().forEach((name, output) -> outputs.put(name, maskOutput(output)));
                var resources = new ArrayList<>(monitor[0].recorded());
                resources.sort(Comparator.comparing(PlannedResource::urn));
                var exceptions = new ArrayList<Throwable>(result.exceptions());
                return new Recording(options.project(), options.stack(), List.copyOf(resources), outputs,
                        monitor[0].componentOutputs(), List.copyOf(result.errors()), List.copyOf(logged),
                        List.copyOf(exceptions));
            } finally {
                PulumiTest.cleanup();
            }
        }
    }

    /**
     * Starts loading and initialising the engine (the SDK, its wire types, the test engine) on a
     * background thread by running an empty program, so a command line can parse its arguments and
     * config on the other core meanwhile. The real run waits for it (runs are serialized) and then
     * finds everything warm. Failures are ignored here: the real run reports its own.
     */
    public static void warmUpInBackground() {
        var thread = new Thread(() -> {
            try {
                run(RunOptions.preview("warm-up", "warm-up"), ctx -> {
                });
            } catch (RuntimeException | LinkageError ignored) {
                // the real run will fail with the same cause and report it
            }
        }, "offline-engine-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Prints an output the way the plan shows it: secret and unknown values masked. */
    static Object maskOutput(Output<?> output) {
        OutputData<?> data = PulumiTestInternal.extractOutputData(output);
        if (data.isSecret()) {
            return Masking.SECRET;
        }
        if (!data.isKnown()) {
            return Masking.UNKNOWN;
        }
        return plain(data.getValueNullable());
    }

    private static Object plain(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(OfflineEngine::plain).orElse(null);
        }
        if (value instanceof Output<?> output) {
            return maskOutput(output);
        }
        if (value instanceof Map<?, ?> map) {
            var result = new TreeMap<String, Object>();
            map.forEach((k, v) -> result.put(String.valueOf(k), plain(v)));
            return result;
        }
        if (value instanceof List<?> list) {
            var result = new ArrayList<Object>();
            list.forEach(v -> result.add(plain(v)));
            return result;
        }
        if (value instanceof Enum<?> e) {
            return e.toString();
        }
        return value;
    }

    private static Logger quietLogger(List<String> sink) {
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.WARNING);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    sink.add(record.getLevel() + ": " + record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return logger;
    }

    /**
     * Mocks that refuse invokes and calls, except the cluster lookups {@link ClusterLookups} answers
     * with clearly fake values: components must not depend on reading the cloud, so an offline plan can
     * show everything. An unexpected invoke is a bug to see, not a value to fake.
     */
    private static final class FailLoudlyMocks implements Mocks {
        @Override
        public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
            return CompletableFuture.completedFuture(ResourceResult.of(Optional.empty(), args.inputs));
        }

        @Override
        public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
            var answer = ClusterLookups.answer(args.token, arguments(args));
            if (answer.isPresent()) {
                return CompletableFuture.completedFuture(answer.get());
            }
            return CompletableFuture.failedFuture(new UnsupportedOperationException(
                    "the offline engine does not answer invoke '" + args.token
                            + "': declare resources from config instead of reading the cloud (it answers only "
                            + String.join(", ", ClusterLookups.TOKENS) + ")"));
        }
    }

    /** The invoke's arguments (a Guava map the SDK does not export to compilers: read as a plain Map). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> arguments(Mocks.CallArgs args) {
        try {
            return (Map<String, Object>) Mocks.CallArgs.class.getField("args").get(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the invoke's arguments", e);
        }
    }

    /** Everything one run produced. Resources are sorted by URN, outputs by name. */
    public record Recording(
            String project,
            String stack,
            List<PlannedResource> resources,
            Map<String, Object> outputs,
            Map<String, Map<String, Object>> componentOutputs,
            List<String> engineErrors,
            List<String> logWarnings,
            List<Throwable> exceptions) {

        public boolean succeeded() {
            return exceptions.isEmpty() && engineErrors.isEmpty();
        }

        /**
         * This recording as it may be printed: every plain-text secret in inputs and outputs masked
         * as {@value Masking#SECRET} (the password of a URI only). Run the guardrails on the
         * recording itself first: they flag what this hides.
         */
        public Recording withPlaintextSecretsMasked() {
            Masking.Found ignore = (path, value) -> {
            };
            var masked = new ArrayList<PlannedResource>(resources.size());
            for (PlannedResource r : resources) {
                var inputs = Masking.maskPlaintextInputs(r.type(), r.inputs(), ignore);
                masked.add(inputs == r.inputs() ? r
                        : new PlannedResource(r.urn(), r.type(), r.name(), r.parent(), r.custom(), inputs, r.options()));
            }
            var components = new TreeMap<String, Map<String, Object>>();
            componentOutputs.forEach((urn, values) -> components.put(urn, Masking.maskPlaintextOutputs(values, ignore)));
            return new Recording(project, stack, List.copyOf(masked), Masking.maskPlaintextOutputs(outputs, ignore),
                    components, engineErrors.stream().map(Masking::maskUriPasswords).toList(), logWarnings.stream()
                    .map(Masking::maskUriPasswords).toList(), exceptions);
        }

        /** Throws with the program's own error if the run failed. */
        public Recording orThrow() {
            if (!exceptions.isEmpty()) {
                var first = exceptions.get(0);
                var error = new IllegalStateException("program failed: " + first.getMessage(), first);
                exceptions.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
            if (!engineErrors.isEmpty()) {
                throw new IllegalStateException("engine errors: " + engineErrors);
            }
            return this;
        }
    }
}
