package dev.dataplatform.plan;

import com.pulumi.Context;
import dev.dataplatform.config.ConfigException;
import dev.dataplatform.config.ConfigNode;
import dev.dataplatform.config.PlatformConfig;
import dev.dataplatform.config.PlatformConfigParser;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.engine.OfflineEngine;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.guardrails.Guardrails;
import dev.dataplatform.guardrails.PlanView;
import dev.dataplatform.guardrails.Severity;
import dev.dataplatform.program.PlatformProgram;
import dev.dataplatform.schemas.SchemaCatalog;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The offline plan: the stack's config from its stack file, the same program function `pulumi up`
 * runs, on the SDK's test engine in preview mode, then the guardrails over what was recorded.
 */
public final class Plan {

    /**
     * What a plan produced.
     *
     * @param diff the changes against a base ({@code --diff}), or null
     */
    public record Result(PlatformConfig config, OfflineEngine.Recording recording, List<Finding> findings,
                         PlanDiff.Result diff) {
        public Result(PlatformConfig config, OfflineEngine.Recording recording, List<Finding> findings) {
            this(config, recording, findings, null);
        }

        public boolean hasErrors() {
            return Guardrails.hasErrors(findings);
        }

        /** This plan with its changes against a base; the diff's findings join the guardrails'. */
        public Result withDiff(PlanDiff.Result changes) {
            var all = new ArrayList<>(findings);
            all.addAll(changes.findings());
            return new Result(config, recording, List.copyOf(all), changes);
        }
    }

    private Plan() {
    }

    /**
     * @throws ConfigException if Pulumi.yaml or the stack file is missing or invalid
     */
    public static Result run(Path directory, String stack) {
        return run(directory, stack, PlatformProgram::declare);
    }

    /** Plans another program function over the same config (tests use this seam). */
    public static Result run(Path directory, String stack, BiConsumer<Context, PlatformConfig> program) {
        return run(directory, stack, program, null);
    }

    /**
     * @param schemas a directory of CRDs and chart schemas to validate custom resources and Helm values
     *                against ({@code --schemas}), or null
     */
    public static Result run(Path directory, String stack, BiConsumer<Context, PlatformConfig> program, Path schemas) {
        // A bad --schemas directory is a usage error, reported before anything runs.
        var catalog = schemas == null ? null : SchemaCatalog.load(schemas);
        StackFile.checkStackName(stack);
        StackFile.checkDirectory(directory);
        String project = projectName(directory);
        var stackFile = StackFile.load(directory, stack);
        // Offline, secrets are never decrypted: a required one that is not set yet is a warning, not an error.
        PlatformConfig config = PlatformConfigParser.parse(stackFile, new ConfigNode.Context(stackFile.file(), false));
        // As the engine: pulumi:disable-default-providers refuses resources of those packages without an explicit provider.
        var recording = OfflineEngine.run(OfflineEngine.RunOptions.preview(project, stack)
                        .withDefaultProvidersDisabled(config.disabledDefaultProviders()),
                ctx -> program.accept(ctx, config));
        var view = new PlanView(config.environment(), recording.resources(), recording.outputs());
        var findings = new ArrayList<>(Guardrails.evaluate(view));
        for (String key : config.missingSecrets()) {
            findings.add(new Finding("secret-not-set", Severity.WARNING, view.stackUrn(), key + " is not set in "
                    + stackFile.file() + ": `pulumi up` stops until it is (pulumi config set --secret --path '" + key + "' <value>)"));
        }
        if (catalog != null) {
            findings.addAll(catalog.validate(recording.resources()));
        }
        // The guardrails saw the values; what is printed (JSON, text, a diff) never shows a plain-text secret.
        return new Result(config, recording.withPlaintextSecretsMasked(), List.copyOf(findings));
    }

    /** What the Pulumi CLI accepts as a project name (pkg/workspace ValidateProjectName). */
    static final java.util.regex.Pattern PROJECT_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** The project name from Pulumi.yaml, as the CLI would use it in URNs. */
    static String projectName(Path directory) {
        Path file = directory.resolve("Pulumi.yaml");
        try {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            if (document instanceof Map<?, ?> map && map.get("name") instanceof String name && !name.isBlank()) {
                if (!PROJECT_NAME.matcher(name).matches()) {
                    throw ConfigException.of("Pulumi.yaml", "name", "'" + (name.length() > 60 ? name.substring(0, 60) + "..." : name)
                            .replaceAll("\\p{Cntrl}", "?") + "' is not a project name: letters, digits, '_', '.', '-', at most 100 characters");
                }
                return name;
            }
            throw ConfigException.of("Pulumi.yaml", "name", "is required: the project name used in every URN");
        } catch (IOException e) {
            throw ConfigException.of("Pulumi.yaml", "(file)", "not found in " + directory.toAbsolutePath().normalize()
                    + ": run from the project directory or pass --cwd");
        } catch (YAMLException e) {
            throw ConfigException.of("Pulumi.yaml", "(file)", "is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
    }
}
