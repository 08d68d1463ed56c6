package dev.dataplatform.automation;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandException;
import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.DestroyOptions;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.LocalWorkspaceOptions;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.PreviewOptions;
import com.pulumi.automation.RefreshOptions;
import com.pulumi.automation.StackNotFoundException;
import com.pulumi.automation.StackSummary;
import com.pulumi.automation.UpOptions;
import com.pulumi.automation.WorkspaceStack;
import com.pulumi.automation.events.EngineEvent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link PulumiEngine} over the Pulumi Automation API: a {@link LocalWorkspace} on the project
 * directory (Pulumi.yaml, the stack files, the prebuilt jar as the program), driving the installed
 * Pulumi CLI. Engine events become {@link PulumiEngine.Progress}; the SDK's exceptions become
 * {@link PlatformException}s that say what to do.
 */
public final class PulumiCliEngine implements PulumiEngine {
    private final LocalWorkspace workspace;

    private PulumiCliEngine(LocalWorkspace workspace) {
        this.workspace = workspace;
    }

    /** Opens the project in {@code projectDir}; fails clearly if the Pulumi CLI is not installed. */
    public static PulumiCliEngine open(Path projectDir) {
        requireCli(System.getenv("PATH"), System.getenv("PULUMI_HOME"));
        try {
            return new PulumiCliEngine(LocalWorkspace.create(LocalWorkspaceOptions.builder()
                    .workDir(projectDir.toAbsolutePath().normalize()).build()));
        } catch (AutomationException e) {
            throw translate("open the project in " + projectDir, e);
        }
    }

    /** The {@code pulumi} executable on {@code path} or in {@code PULUMI_HOME/bin}, or a clear error. */
    static Path requireCli(String path, String pulumiHome) {
        return findCli(path, pulumiHome).orElseThrow(() -> new PlatformException(PlatformException.Kind.CLI_MISSING,
                "the Pulumi CLI is not installed (no 'pulumi' on PATH" + (pulumiHome == null ? "" : " or in " + pulumiHome + "/bin")
                        + "): install it (https://www.pulumi.com/docs/iac/download-install/) and run 'pulumi login'. "
                        + "The offline plan needs no CLI: java -jar src/target/data-platform.jar plan --stack <stack>"));
    }

    static Optional<Path> findCli(String path, String pulumiHome) {
        var candidates = new java.util.ArrayList<Path>();
        if (pulumiHome != null && !pulumiHome.isBlank()) {
            candidates.add(Path.of(pulumiHome, "bin", "pulumi"));
        }
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "pulumi"));
                }
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    @Override
    public List<String> listStacks() {
        try {
            return workspace.listStacks().stream().map(StackSummary::name).sorted().toList();
        } catch (AutomationException e) {
            throw translate("list stacks", e);
        }
    }

    @Override
    public void createStack(String stack) {
        try {
            workspace.createStack(stack);
        } catch (AutomationException e) {
            throw translate("create stack " + stack, e);
        }
    }

    @Override
    public void selectStack(String stack) {
        try {
            workspace.selectStack(stack);
        } catch (AutomationException e) {
            throw translate("select stack " + stack, e);
        }
    }

    @Override
    public void setConfig(String stack, String key, String value, boolean secret) {
        try {
            workspace.setConfig(stack, key, new ConfigValue(value, secret), true);
        } catch (AutomationException e) {
            throw translate("set " + key + " on " + stack, e);
        }
    }

    @Override
    public Changes preview(String stack, Consumer<Progress> progress) {
        return operation("preview " + stack, () -> changes(stack(stack)
                .preview(PreviewOptions.builder().onEvent(events(progress)).build()).changeSummary()));
    }

    @Override
    public Changes up(String stack, Consumer<Progress> progress) {
        return operation("update " + stack, () -> changes(stack(stack)
                .up(UpOptions.builder().onEvent(events(progress)).build()).summary().resourceChanges()));
    }

    @Override
    public Changes refresh(String stack, Consumer<Progress> progress) {
        return operation("refresh " + stack, () -> changes(stack(stack)
                .refresh(RefreshOptions.builder().onEvent(events(progress)).build()).summary().resourceChanges()));
    }

    @Override
    public Changes destroy(String stack, Consumer<Progress> progress) {
        return operation("destroy " + stack, () -> changes(stack(stack)
                .destroy(DestroyOptions.builder().onEvent(events(progress)).build()).summary().resourceChanges()));
    }

    /** An Automation API call whose failure becomes a {@link PlatformException} about {@code what}. */
    private interface Call<T> {
        T run() throws AutomationException;
    }

    private static <T> T operation(String what, Call<T> call) {
        try {
            return call.run();
        } catch (AutomationException e) {
            throw translate(what, e);
        }
    }

    @Override
    public Map<String, Output> outputs(String stack) {
        try {
            var result = new TreeMap<String, Output>();
            workspace.getStackOutputs(stack).forEach((name, value) -> result.put(name,
                    new Output(value.isSecret() ? "[secret]" : value.value(), value.isSecret())));
            return result;
        } catch (AutomationException e) {
            throw translate("read the outputs of " + stack, e);
        }
    }

    private WorkspaceStack stack(String name) throws AutomationException {
        return WorkspaceStack.select(name, workspace);
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

    /** The SDK's exceptions as ours, with the CLI's own words kept. */
    static PlatformException translate(String what, AutomationException e) {
        if (e instanceof ConcurrentUpdateException) {
            return new PlatformException(PlatformException.Kind.CONFLICT, "could not " + what + ": another update of the stack is "
                    + "in progress; wait for it, or if it crashed run 'pulumi cancel' (and 'pulumi stack export/import' "
                    + "only if pending operations remain)", e);
        }
        if (e instanceof StackNotFoundException) {
            return new PlatformException(PlatformException.Kind.STACK_NOT_FOUND, "could not " + what
                    + ": the stack does not exist in the backend you are logged in to ('pulumi stack ls'); create it first", e);
        }
        if (e instanceof CommandException command) {
            return new PlatformException(PlatformException.Kind.UPDATE_FAILED, "could not " + what + ": " + command.getMessage(), e);
        }
        return new PlatformException(PlatformException.Kind.UPDATE_FAILED, "could not " + what + ": " + e.getMessage(), e);
    }
}
