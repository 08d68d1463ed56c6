package dev.dataplatform.automation;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandException;
import com.pulumi.automation.CommandRunOptions;
import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.LocalPulumiCommand;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.LocalWorkspaceOptions;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.PulumiCommand;
import com.pulumi.automation.StackAlreadyExistsException;
import com.pulumi.automation.StackNotFoundException;
import com.pulumi.automation.StackSummary;
import com.pulumi.automation.events.EngineEvent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link PulumiEngine} over the Pulumi Automation API of com.pulumi:pulumi 1.36.1 and the installed
 * Pulumi CLI, working around what that SDK version gets wrong (docs/upstream-facts.md, "Pulumi SDK"):
 *
 * <ul>
 *   <li>Every stack operation names its stack with {@code --stack}: {@code WorkspaceStack.runCommand}
 *       builds a {@code --stack} argument list and then passes the original one, so its
 *       up/preview/refresh/destroy run against whatever stack was last selected. Operations here go
 *       through the SDK's command runner ({@link LocalPulumiCommand#run}) with explicit arguments,
 *       and nothing runs {@code pulumi stack select}: the user's selected stack stays as it was.</li>
 *   <li>Outputs are read as JSON values: {@code LocalWorkspace.getStackOutputs} parses them as
 *       {@code Map<String,String>} and fails on every map or list output (and throws a
 *       NullPointerException on a null one); {@code WorkspaceStack.up} reads outputs after the update
 *       and so reports a successful update as failed. Success here is the CLI's exit code and the
 *       engine's summary event.</li>
 *   <li>The CLI is the one the SDK will run: {@code LocalPulumiCommand} starts plain {@code pulumi},
 *       which the JVM resolves on its {@code PATH} only.</li>
 * </ul>
 */
public final class PulumiCliEngine implements PulumiEngine {
    /** The exec kind the SDK passes for a program in the workspace directory (WorkspaceStack.ExecKind.Local). */
    static final String EXEC_KIND_LOCAL = "auto.local";
    /** How the masked {@code pulumi stack output --json} shows a secret (LocalWorkspace.getStackOutputs compares with it). */
    static final String SECRET_MARK = "[secret]";
    /** The CLI writes {@code --event-log} only with this set (LocalPulumiCommand.pulumiEnvironment). */
    static final Map<String, String> EVENT_LOG_ENV = Map.of("PULUMI_DEBUG_COMMANDS", "true");
    private static final int MAX_DETAIL_LINES = 4;

    private final Path projectDir;
    private final PulumiCommand command;
    private final LocalWorkspace workspace;

    private PulumiCliEngine(Path projectDir, PulumiCommand command, LocalWorkspace workspace) {
        this.projectDir = projectDir;
        this.command = command;
        this.workspace = workspace;
    }

    /** Opens the project in {@code projectDir}; fails clearly if the SDK cannot run the Pulumi CLI. */
    public static PulumiCliEngine open(Path projectDir) {
        requireCli(System.getenv("PATH"), System.getenv("PULUMI_HOME"), System.getProperty("user.home"));
        var dir = projectDir.toAbsolutePath().normalize();
        PulumiCommand command;
        try {
            command = LocalPulumiCommand.create();
        } catch (AutomationException e) {
            throw new PlatformException(PlatformException.Kind.CLI_MISSING, "the Pulumi CLI on PATH cannot be used: "
                    + firstLine(e.getMessage()), e);
        }
        try {
            return new PulumiCliEngine(dir, command, LocalWorkspace.create(LocalWorkspaceOptions.builder()
                    .workDir(dir).pulumiCommand(command).build()));
        } catch (AutomationException e) {
            throw translate("open the project in " + dir, e, List.of(), List.of());
        }
    }

    /**
     * The {@code pulumi} executable the SDK will run, or a clear error. The SDK starts plain
     * {@code pulumi} (LocalPulumiCommand.create), so only {@code PATH} counts; a CLI found only in
     * {@code $PULUMI_HOME/bin} or {@code ~/.pulumi/bin} (where the installer puts it) gets advice
     * to put that directory on {@code PATH}.
     */
    static Path requireCli(String path, String pulumiHome, String userHome) {
        var onPath = findOnPath(path);
        if (onPath.isPresent()) {
            return onPath.get();
        }
        var elsewhere = new ArrayList<Path>();
        if (pulumiHome != null && !pulumiHome.isBlank()) {
            elsewhere.add(Path.of(pulumiHome, "bin", "pulumi"));
        }
        if (userHome != null && !userHome.isBlank()) {
            elsewhere.add(Path.of(userHome, ".pulumi", "bin", "pulumi"));
        }
        var installed = elsewhere.stream().filter(PulumiCliEngine::executable).findFirst();
        if (installed.isPresent()) {
            throw new PlatformException(PlatformException.Kind.CLI_MISSING, "the Pulumi CLI is installed at " + installed.get()
                    + " but not on PATH, and the Automation API runs 'pulumi' from PATH: "
                    + "export PATH=\"" + installed.get().getParent() + File.pathSeparator + "$PATH\"");
        }
        throw new PlatformException(PlatformException.Kind.CLI_MISSING,
                "the Pulumi CLI is not installed (no 'pulumi' on PATH): install it "
                        + "(https://www.pulumi.com/docs/iac/download-install/) and run 'pulumi login'. "
                        + "The offline plan needs no CLI: java -jar src/target/data-platform.jar plan --stack <stack>");
    }

    static Optional<Path> findOnPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank() && executable(Path.of(dir, "pulumi"))) {
                return Optional.of(Path.of(dir, "pulumi"));
            }
        }
        return Optional.empty();
    }

    private static boolean executable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    @Override
    public List<String> listStacks() {
        try {
            return workspace.listStacks().stream().map(StackSummary::name).sorted().toList();
        } catch (AutomationException e) {
            throw translate("list stacks", e, List.of(), List.of());
        }
    }

    @Override
    public void createStack(String stack) {
        try {
            workspace.createStack(stack);
        } catch (AutomationException e) {
            throw translate("create stack " + stack, e, List.of(), List.of());
        }
    }

    @Override
    public void selectStack(String stack) {
        try {
            workspace.selectStack(stack);
        } catch (AutomationException e) {
            throw translate("select stack " + stack, e, List.of(), List.of());
        }
    }

    @Override
    public void setConfig(String stack, String key, String value, boolean secret) {
        try {
            // LocalWorkspace.setConfig names the stack itself (config set ... --stack <name>).
            workspace.setConfig(stack, key, new ConfigValue(value, secret), true);
        } catch (AutomationException e) {
            throw translate("set " + key + " on " + stack, e, List.of(), secret ? List.of(value) : List.of());
        }
    }

    @Override
    public Changes preview(String stack, Consumer<Progress> progress) {
        return operation("preview", "preview " + stack, stack, List.of(), progress);
    }

    @Override
    public Changes up(String stack, Consumer<Progress> progress) {
        return operation("up", "update " + stack, stack, List.of("--yes", "--skip-preview"), progress);
    }

    @Override
    public Changes refresh(String stack, Consumer<Progress> progress) {
        return operation("refresh", "refresh " + stack, stack, List.of("--yes", "--skip-preview"), progress);
    }

    @Override
    public Changes destroy(String stack, Consumer<Progress> progress) {
        return operation("destroy", "destroy " + stack, stack, List.of("--yes", "--skip-preview"), progress);
    }

    /** The command line of one operation: the verb, its flags, the stack, the exec kind, the event log. */
    static List<String> operationArgs(String verb, List<String> flags, String stack, Path eventLog) {
        var args = new ArrayList<String>();
        args.add(verb);
        args.addAll(flags);
        args.addAll(List.of("--stack", stack, "--exec-kind", EXEC_KIND_LOCAL, "--event-log", eventLog.toString()));
        return args;
    }

    private Changes operation(String verb, String what, String stack, List<String> flags, Consumer<Progress> progress) {
        var stderr = Collections.synchronizedList(new ArrayList<String>());
        var log = EngineEventLog.start(events(progress));
        AutomationException failed = null;
        try {
            command.run(operationArgs(verb, flags, stack, log.file()), options(stderr));
        } catch (AutomationException e) {
            failed = e;
        } finally {
            log.close();
        }
        if (failed != null) {
            throw translate(what, failed, merge(log.errors(), stderr), List.of());
        }
        var summary = log.summary().orElseThrow(() -> new PlatformException(PlatformException.Kind.UPDATE_FAILED,
                "could not " + what + ": the CLI exited 0 but the engine reported no summary of changes; "
                        + "see 'pulumi stack history --stack " + stack + "'"));
        return changes(summary.resourceChanges());
    }

    private CommandRunOptions options(List<String> stderr) {
        return CommandRunOptions.builder()
                .workingDir(projectDir)
                .additionalEnv(EVENT_LOG_ENV)
                .onStandardError(stderr::add)
                .build();
    }

    @Override
    public Map<String, Output> outputs(String stack, boolean showSecrets) {
        var masked = stackOutputJson(stack, false);
        var plain = showSecrets ? stackOutputJson(stack, true) : null;
        return outputs(masked, plain);
    }

    /** {@code pulumi stack output --json [--show-secrets] --stack <name>}: a JSON object, or empty. */
    private String stackOutputJson(String stack, boolean showSecrets) {
        var args = new ArrayList<>(List.of("stack", "output", "--json"));
        if (showSecrets) {
            args.add("--show-secrets");
        }
        args.addAll(List.of("--stack", stack));
        var stderr = Collections.synchronizedList(new ArrayList<String>());
        try {
            return command.run(args, options(stderr)).standardOutput();
        } catch (AutomationException e) {
            throw translate("read the outputs of " + stack, e, stderr, List.of());
        }
    }

    /**
     * The outputs from the masked JSON document, each as a JSON value (maps, lists, numbers, null), a
     * secret marked and masked; with {@code plain} (the {@code --show-secrets} document), secret
     * values are taken from it.
     */
    static Map<String, Output> outputs(String masked, String plain) {
        var result = new TreeMap<String, Output>();
        var maskedValues = object(masked);
        var plainValues = plain == null ? Map.<String, Object>of() : object(plain);
        maskedValues.forEach((name, value) -> {
            boolean secret = SECRET_MARK.equals(value);
            result.put(name, new Output(secret && plainValues.containsKey(name) ? plainValues.get(name) : value, secret));
        });
        return result;
    }

    private static Map<String, Object> object(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        JsonElement element;
        try {
            element = JsonParser.parseString(json);
        } catch (JsonSyntaxException e) {
            throw new PlatformException(PlatformException.Kind.UPDATE_FAILED, "the CLI's stack outputs are not JSON: "
                    + firstLine(e.getMessage()), e);
        }
        if (!element.isJsonObject()) {
            throw new PlatformException(PlatformException.Kind.UPDATE_FAILED, "the CLI's stack outputs are not a JSON object");
        }
        var map = new LinkedHashMap<String, Object>();
        element.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), value(e.getValue())));
        return map;
    }

    /** A JSON value as plain Java: Map, List, String, Long or Double, Boolean, or null. */
    static Object value(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            var map = new LinkedHashMap<String, Object>();
            element.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), value(e.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (element.isJsonArray()) {
            var list = new ArrayList<Object>();
            element.getAsJsonArray().forEach(e -> list.add(value(e)));
            return Collections.unmodifiableList(list);
        }
        var primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            var number = primitive.getAsBigDecimal();
            return number.scale() <= 0 || number.stripTrailingZeros().scale() <= 0
                    ? (Object) number.longValue() : (Object) number.doubleValue();
        }
        return primitive.getAsString();
    }

    static Changes changes(Map<OperationType, Integer> summary) {
        var byKind = new TreeMap<String, Integer>();
        if (summary != null) {
            summary.forEach((op, count) -> byKind.merge(kind(op), count, Integer::sum));
        }
        return new Changes(byKind);
    }

    static String kind(OperationType op) {
        return op.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Engine events to progress: resource steps, diagnostics, failures and the summary. */
    static Consumer<EngineEvent> events(Consumer<Progress> progress) {
        return event -> toProgress(event).ifPresent(progress);
    }

    static Optional<Progress> toProgress(EngineEvent event) {
        if (event.resourcePreEvent() != null) {
            var m = event.resourcePreEvent().metadata();
            return Optional.of(new Progress(Progress.Kind.RESOURCE, kind(m.op()), m.urn(), m.type(), null));
        }
        if (event.diagnosticEvent() != null) {
            var d = event.diagnosticEvent();
            return Optional.of(new Progress(Progress.Kind.DIAGNOSTIC, d.severity(), d.urn(), null, d.message().strip()));
        }
        if (event.resourceOperationFailedEvent() != null) {
            var m = event.resourceOperationFailedEvent().metadata();
            return Optional.of(new Progress(Progress.Kind.FAILURE, kind(m.op()), m.urn(), m.type(), "failed"));
        }
        if (event.summaryEvent() != null) {
            var summary = new TreeMap<String, Integer>();
            event.summaryEvent().resourceChanges().forEach((op, count) -> summary.merge(kind(op), count, Integer::sum));
            return Optional.of(new Progress(Progress.Kind.SUMMARY, null, null, null, summary.toString()));
        }
        return Optional.empty();
    }

    /**
     * The SDK's exceptions as ours: one kind per failure, a short message (the engine's error
     * diagnostics and the CLI's {@code error:} lines, not its whole output), {@code redact}ed values
     * replaced by {@code [secret]}.
     */
    static PlatformException translate(String what, AutomationException e, List<String> details, List<String> redact) {
        if (e instanceof ConcurrentUpdateException) {
            return new PlatformException(PlatformException.Kind.CONFLICT, "could not " + what + ": another update of the stack is "
                    + "in progress; wait for it, or if it crashed run 'pulumi cancel' (and 'pulumi stack export/import' "
                    + "only if pending operations remain)", e);
        }
        if (e instanceof StackNotFoundException) {
            return new PlatformException(PlatformException.Kind.STACK_NOT_FOUND, "could not " + what
                    + ": the stack does not exist in the backend you are logged in to ('pulumi stack ls'); create it first", e);
        }
        if (e instanceof StackAlreadyExistsException) {
            return new PlatformException(PlatformException.Kind.STACK_EXISTS, "could not " + what
                    + ": the stack already exists; use it, or choose another name", e);
        }
        var detail = detail(details);
        if (detail.isEmpty() && e instanceof CommandException) {
            detail = detail(errorLines(e.getMessage()));
        }
        if (detail.isEmpty()) {
            detail = firstLine(e.getMessage());
        }
        for (String secret : redact) {
            if (secret != null && !secret.isEmpty()) {
                detail = detail.replace(secret, SECRET_MARK);
            }
        }
        return new PlatformException(PlatformException.Kind.UPDATE_FAILED, "could not " + what + ": " + detail, e);
    }

    /** Error diagnostics first, then the CLI's {@code error:} lines, without repeats, at most a few lines. */
    static List<String> merge(List<String> diagnostics, List<String> stderr) {
        var lines = new ArrayList<String>(diagnostics);
        errorLines(String.join("\n", stderr)).stream().filter(l -> !lines.contains(l)).forEach(lines::add);
        return lines;
    }

    static List<String> errorLines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::strip).filter(l -> l.startsWith("error:"))
                .map(l -> l.substring("error:".length()).strip()).filter(l -> !l.isEmpty()).distinct().toList();
    }

    private static String detail(List<String> lines) {
        var kept = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).distinct().toList();
        if (kept.size() > MAX_DETAIL_LINES) {
            var more = kept.size() - MAX_DETAIL_LINES;
            kept = new ArrayList<>(kept.subList(0, MAX_DETAIL_LINES));
            kept.add("(" + more + " more)");
        }
        return String.join("; ", kept);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }
}
