package dev.dataplatform.plan;

import com.pulumi.Context;
import dev.dataplatform.automation.PlatformException;
import dev.dataplatform.automation.PulumiCliEngine;
import dev.dataplatform.automation.PulumiEngine;
import dev.dataplatform.config.ConfigException;
import dev.dataplatform.core.ConformanceDirectory;
import dev.dataplatform.engine.Masking;
import dev.dataplatform.config.PlatformConfig;
import dev.dataplatform.program.PlatformProgram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The program jar's command line: the offline {@code plan}, and {@code stacks}, {@code preview},
 * {@code up}, {@code refresh}, {@code destroy}, {@code outputs} and {@code tenants add} through the
 * Pulumi CLI (Automation API), and {@code access-sql} (a database's access script). Exit codes: 0 ok, 1 guardrail error, 2 invalid config or usage,
 * 3 program or update failure, 4 Pulumi CLI not installed, 5 another update in progress,
 * 6 refused by a guard.
 */
@Command(name = "data-platform", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "The data-platform Pulumi program, its offline plan, and its operations through the Pulumi CLI.",
        subcommands = {Cli.PlanCommand.class, AutomationCommands.Stacks.class, AutomationCommands.Preview.class,
                AutomationCommands.Up.class, AutomationCommands.Refresh.class, AutomationCommands.Destroy.class,
                AutomationCommands.Outputs.class, AutomationCommands.Tenants.class, FleetCommand.class, AccessSqlCommand.class, CommandLine.HelpCommand.class})
public final class Cli {
    public static final int OK = 0;
    public static final int GUARDRAIL_ERROR = 1;
    public static final int INVALID = 2;
    public static final int PROGRAM_FAILED = 3;
    public static final int PULUMI_CLI_MISSING = 4;
    public static final int CONFLICT = 5;
    public static final int REFUSED = 6;

    final BiConsumer<Context, PlatformConfig> program;
    final Function<Path, PulumiEngine> engines;

    private Cli(BiConsumer<Context, PlatformConfig> program, Function<Path, PulumiEngine> engines) {
        this.program = program;
        this.engines = engines;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, PlatformProgram::declare);
    }

    /** Runs the operations against another engine (tests pass a mock). */
    public static int run(String[] args, PrintStream out, PrintStream err, Function<Path, PulumiEngine> engines) {
        return runCommandLine(args, out, err, PlatformProgram::declare, engines);
    }

    /** Runs the command line over another program function (tests use this seam). */
    public static int run(String[] args, PrintStream out, PrintStream err, BiConsumer<Context, PlatformConfig> program) {
        var plain = PlanArguments.parse(args);
        if (plain.isPresent()) {
            var writer = new PrintWriter(out, true);
            var errors = new PrintWriter(err, true);
            try {
                return plan(plain.get(), program, writer, errors);
            } catch (Exception exception) {
                return failed(exception, errors);
            } finally {
                writer.flush();
                errors.flush();
            }
        }
        return runCommandLine(args, out, err, program);
    }

    /** Every command through picocli: help, usage errors and the forms {@link PlanArguments} leaves alone. */
    static int runCommandLine(String[] args, PrintStream out, PrintStream err, BiConsumer<Context, PlatformConfig> program) {
        return runCommandLine(args, out, err, program, PulumiCliEngine::open);
    }

    static int runCommandLine(String[] args, PrintStream out, PrintStream err, BiConsumer<Context, PlatformConfig> program,
                              Function<Path, PulumiEngine> engines) {
        var commandLine = new CommandLine(new Cli(program, engines));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        if (args.length == 0) {
            // Run by hand with no command (the engine's no-argument run never gets here: see Main).
            commandLine.getErr().println("error: no command given (the program runs without arguments only under "
                    + "the Pulumi engine, which sets PULUMI_MONITOR)");
            commandLine.usage(commandLine.getErr());
            commandLine.getErr().flush();
            return INVALID;
        }
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) ->
                failed(exception, cmd.getErr()));
        int code = commandLine.execute(args);
        out.flush();
        return code;
    }

    private static int failed(Exception exception, PrintWriter err) {
        if (exception instanceof PlatformException platform) {
            err.println("error: " + platform.getMessage());
            err.flush();
            return switch (platform.kind()) {
                case CLI_MISSING -> PULUMI_CLI_MISSING;
                case CONFLICT -> CONFLICT;
                case REFUSED -> REFUSED;
                case INVALID, STACK_NOT_FOUND, STACK_EXISTS -> INVALID;
                case UPDATE_FAILED -> PROGRAM_FAILED;
            };
        }
        if (exception instanceof ConfigException config) {
            err.println("invalid config:");
            config.errors().forEach(e -> err.println("  " + Masking.maskUriPasswords(String.valueOf(e))));
            err.flush();
            return INVALID;
        }
        err.println("the program failed: " + oneLine(String.valueOf(exception)));
        err.flush();
        return PROGRAM_FAILED;
    }

    /** {@code DATAPLATFORM_DEBUG=1}: print failures with their whole trace. */
    static boolean debug() {
        String value = System.getenv("DATAPLATFORM_DEBUG");
        return value != null && !value.isBlank() && !value.equals("0");
    }

    private static final java.util.regex.Pattern EXCEPTION_LINE =
            java.util.regex.Pattern.compile("^(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b.*");

    /**
     * A failure as one line: the exception line of an engine error's trace (not the trace itself, nor the
     * launcher's command line), credentials in URLs masked; the whole text with {@code DATAPLATFORM_DEBUG}.
     */
    static String oneLine(String text) {
        String masked = Masking.maskUriPasswords(text);
        if (debug()) {
            return masked;
        }
        var lines = masked.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String line = lines.stream().filter(l -> EXCEPTION_LINE.matcher(l).matches()).findFirst()
                .orElse(lines.isEmpty() ? "" : lines.get(0));
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }

    /**
     * Plans one stack and prints it, with its changes against a base when {@code --diff} names one; the
     * exit code says whether the guardrails (and the diff's checks) passed.
     */
    static int plan(PlanArguments arguments, BiConsumer<Context, PlatformConfig> program, PrintWriter out, PrintWriter err) {
        Path schemas = arguments.schemas();
        if (arguments.findSchemas()) {
            // --schemas without a directory: the conformance files, found as the tests find them.
            var found = ConformanceDirectory.find(arguments.cwd());
            if (found.isEmpty()) {
                err.println("error: --schemas: " + ConformanceDirectory.notFound(arguments.cwd(), System.getenv())
                        + ", or give --schemas DIR");
                err.flush();
                return INVALID;
            }
            schemas = found.get();
        }
        // The base is read first: a wrong --diff path is a usage error before any planning.
        var base = arguments.diff() == null ? null : BaseState.read(arguments.diff());
        var platformOutputs = arguments.platformOutputs() == null ? null : readOutputs(arguments.platformOutputs());
        var plan = Plan.run(arguments.cwd(), arguments.stack(), program, schemas, platformOutputs);
        if (!plan.recording().exceptions().isEmpty() || !plan.recording().engineErrors().isEmpty()) {
            // One line per distinct failure: the engine reports a program's exception again as its own error.
            var failures = new java.util.LinkedHashSet<String>();
            for (Throwable t : plan.recording().exceptions()) {
                Throwable cause = t;
                while (cause.getCause() != null && !(cause instanceof ConfigException)) {
                    cause = cause.getCause();
                }
                if (cause instanceof ConfigException config) {
                    throw config;
                }
                failures.add(oneLine(String.valueOf(cause)));
            }
            plan.recording().engineErrors().forEach(e -> failures.add(oneLine(e)));
            failures.forEach(f -> err.println("the program failed: " + f));
            if (!debug()) {
                err.println("(a bug: set DATAPLATFORM_DEBUG=1 for the full trace)");
            }
            return PROGRAM_FAILED;
        }
        if (base != null) {
            var diff = PlanDiff.compare(base, plan.recording().resources());
            if (diff.count(PlanDiff.Operation.DELETE) > 0 && !dev.dataplatform.fleet.Shard.isShard(arguments.stack())) {
                diff = diff.withMoves(Plan.shardResources(arguments.cwd(), plan, program, err));
            }
            plan = plan.withDiff(diff);
        }
        if (arguments.json()) {
            PlanRenderer.json(plan, out);
            out.println();
        } else {
            out.println(PlanRenderer.human(plan));
        }
        out.flush();
        if (plan.hasErrors()) {
            err.println("guardrail errors: see findings");
            return GUARDRAIL_ERROR;
        }
        return OK;
    }

    /** A stack's outputs as {@code pulumi stack output --json} prints them: one JSON object, output name to value. */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> readOutputs(Path file) {
        try {
            Object document = new com.google.gson.Gson().fromJson(java.nio.file.Files.readString(file), Object.class);
            if (document instanceof java.util.Map<?, ?> map) {
                return (java.util.Map<String, Object>) map;
            }
            throw new PlatformException(PlatformException.Kind.INVALID, "--platform-outputs " + file
                    + ": not a JSON object (expected the output of `pulumi stack output --json --stack <env>`)");
        } catch (java.io.IOException | com.google.gson.JsonParseException e) {
            throw new PlatformException(PlatformException.Kind.INVALID, "--platform-outputs " + file + ": " + e.getMessage());
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Run the stack program offline (no Pulumi CLI, no cloud credentials) and check the guardrails.")
    static final class PlanCommand implements Callable<Integer> {
        @Option(names = "--stack", required = true, description = "Stack name; its config is read from Pulumi.<stack>.yaml.")
        String stack;

        @Option(names = "--json", description = "Print one JSON document (the plan contract) to stdout.")
        boolean json;

        @Option(names = "--cwd", defaultValue = ".", description = "Project directory (default: current directory).")
        Path cwd;

        @Option(names = "--diff", paramLabel = "BASE.json",
                description = "Compare with a base: a `plan --json` of the base branch or a `pulumi stack export`.")
        Path diff;

        @Option(names = "--schemas", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
                description = "Also validate every custom resource against the CRDs in DIR (searched recursively) and Helm "
                + "values against a chart's values.schema.json found there; failures are error findings (rule schema). "
                + "Without DIR: the conformance files (" + ConformanceDirectory.ENV + ", ../shared/conformance beside the "
                + "project, or the cache " + ConformanceDirectory.FETCH + " fills).")
        String schemas;

        @Option(names = "--platform-outputs", paramLabel = "FILE",
                description = "For a tenant shard (<env>-tenants-NN): the platform stack's outputs (`pulumi stack output --json`) "
                + "its StackReference reads; default: an offline plan of the platform stack file beside it.")
        Path platformOutputs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        Cli parent;

        @Override
        public Integer call() {
            boolean find = schemas != null && schemas.isEmpty();
            Path directory;
            try {
                directory = schemas == null || find ? null : Path.of(schemas);
            } catch (java.nio.file.InvalidPathException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--schemas': " + e.getMessage());
            }
            return plan(new PlanArguments(stack, json, cwd, diff, directory, find, platformOutputs), parent.program, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }

    /** {@code --version}: the project version the jar was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"data-platform " + projectVersion()};
        }

        static String projectVersion() {
            var properties = new java.util.Properties();
            try (var in = Cli.class.getResourceAsStream("/dev/dataplatform/version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (java.io.IOException e) {
                return "unknown";
            }
            return properties.getProperty("version", "unknown");
        }
    }
}
