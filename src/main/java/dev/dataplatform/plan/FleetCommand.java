package dev.dataplatform.plan;

import com.google.gson.GsonBuilder;
import dev.dataplatform.automation.PlatformException;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.fleet.Fleet;
import dev.dataplatform.fleet.Shard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code fleet plan|preview|up --env E}: the platform stack, then its tenant shards at most {@code --parallel}
 * at a time; a summary per stack; exit 3 if any stack failed. SIGINT starts no new stack and waits for the
 * running ones.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Plan (offline), preview or update an environment's platform stack and then its tenant shards.")
final class FleetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "plan|preview|up", description = "plan (offline), preview or up (Pulumi CLI).")
    String operation;

    @Option(names = "--env", required = true, description = "The environment: its platform stack <env> and shards <env>-tenants-NN.")
    String env;

    @Option(names = "--parallel", defaultValue = "4", description = "Shards run at most this many at a time (default 4).")
    int parallel;

    @Option(names = "--json", description = "Print one JSON document to stdout (progress goes to stderr).")
    boolean json;

    @Option(names = "--cwd", defaultValue = ".", description = "Project directory (default: current directory).")
    Path cwd;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!List.of("plan", "preview", "up").contains(operation)) {
            throw new PlatformException(PlatformException.Kind.INVALID, "fleet " + operation + ": allowed: plan, preview, up");
        }
        if (parallel < 1) {
            throw new PlatformException(PlatformException.Kind.INVALID, "--parallel must be at least 1");
        }
        StackFile.checkDirectory(cwd);
        var stacks = Fleet.stacks(cwd, env);
        var shards = stacks.subList(1, stacks.size());
        var fleet = new Fleet();
        var hook = new Thread(fleet::cancel, "fleet-sigint");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Fleet.StackResult> results;
        try {
            results = switch (operation) {
                case "plan" -> plan(fleet, stacks.get(0), shards);
                default -> {
                    var cli = (Cli) root().getCommand();
                    var progressTo = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
                    var platform = new dev.dataplatform.automation.Platform(cwd, cli.engines.apply(cwd),
                            progress -> {
                                synchronized (progressTo) {
                                    progressTo.println(AutomationCommands.line(progress));
                                }
                            });
                    yield fleet.run(stacks.get(0), shards, parallel, stack -> (operation.equals("up")
                            ? platform.up(stack) : platform.preview(stack)).byKind());
                }
            };
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting (SIGINT): the hook already ran
            }
        }
        print(results);
        return results.stream().anyMatch(Fleet.StackResult::failed) ? Cli.PROGRAM_FAILED : Cli.OK;
    }

    private CommandLine root() {
        CommandLine line = spec.commandLine();
        while (line.getParent() != null) {
            line = line.getParent();
        }
        return line;
    }

    /** Offline: the platform planned once; every shard's StackReference reads that plan's outputs. */
    private List<Fleet.StackResult> plan(Fleet fleet, String platform, List<String> shards) {
        var program = ((Cli) root().getCommand()).program;
        var outputs = new java.util.concurrent.atomic.AtomicReference<Map<String, Object>>();
        return fleet.run(platform, shards, parallel, stack -> {
            var result = stack.equals(platform) ? Plan.run(cwd, stack, program, null, null)
                    : Plan.run(cwd, stack, program, null, outputs.get());
            if (!result.recording().succeeded()) {
                throw new IllegalStateException("does not plan: " + result.recording().exceptions() + result.recording().engineErrors());
            }
            if (stack.equals(platform)) {
                outputs.set(result.recording().outputs());
            }
            if (result.hasErrors()) {
                throw new IllegalStateException("guardrail errors: " + result.findings().stream()
                        .filter(f -> f.severity() == dev.dataplatform.guardrails.Severity.ERROR).map(f -> f.rule() + ": " + f.message()).toList());
            }
            var counts = new TreeMap<String, Integer>();
            counts.put("create", result.recording().resources().size());
            return counts;
        });
    }

    private void print(List<Fleet.StackResult> results) {
        var out = spec.commandLine().getOut();
        if (json) {
            var document = new LinkedHashMap<String, Object>();
            document.put("environment", env);
            document.put("operation", operation);
            document.put("parallel", parallel);
            document.put("stacks", Fleet.json(results));
            out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(document));
        } else {
            for (var r : results) {
                out.printf("%-22s %-8s %6d ms  %s%s%n", r.stack(), r.result(), r.millis(),
                        r.changes().isEmpty() ? "" : r.changes(), r.error() == null ? "" : "  " + r.error());
            }
            long failed = results.stream().filter(Fleet.StackResult::failed).count();
            out.println(results.size() + " stacks, " + failed + " not ok");
        }
        out.flush();
    }

    /**
     * The shard a new client of {@code env} goes to, as {stack, created-or-null}: the least-loaded with room, or a
     * new shard file when all are full (checked first: every shard parses, no client in two shards).
     */
    static String[] pickShard(Path cwd, String env) {
        String project = Plan.projectName(cwd);
        var shards = new TreeMap<String, Shard.Config>();
        for (String s : Shard.shardsIn(cwd, env)) {
            shards.put(s, Shard.parse(StackFile.load(cwd, s), project));
        }
        Shard.duplicates(shards).ifPresent(e -> {
            throw e;
        });
        var pick = Fleet.pick(shards);
        if (pick.isPresent()) {
            return new String[]{pick.get(), null};
        }
        String next = Fleet.nextShard(env, shards.keySet());
        if (dev.dataplatform.core.Environment.fromId(env).isEmpty()) {
            throw new PlatformException(PlatformException.Kind.INVALID, "--env " + env + ": allowed: dev, stage, prod");
        }
        Fleet.createShard(cwd, next, env, shards.isEmpty() ? null : shards.lastEntry().getValue());
        return new String[]{next, next};
    }
}
