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
        return run(directory, stack, program, schemas, null);
    }

    /**
     * @param platformOutputs for a tenant shard: the platform stack's outputs (as {@code pulumi stack output --json}
     *                        prints them), or null to plan the platform stack file in {@code directory} offline
     */
    public static Result run(Path directory, String stack, BiConsumer<Context, PlatformConfig> program, Path schemas,
                             Map<String, Object> platformOutputs) {
        // A bad --schemas directory is a usage error, reported before anything runs.
        var catalog = schemas == null ? null : SchemaCatalog.load(schemas);
        StackFile.checkStackName(stack);
        StackFile.checkDirectory(directory);
        String project = projectName(directory);
        var stackFile = StackFile.load(directory, stack);
        if (dev.dataplatform.fleet.Shard.isShard(stack)) {
            return shard(directory, project, stackFile, program, catalog, platformOutputs);
        }
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

    /**
     * A tenant shard offline: the platform's outputs from {@code platformOutputs} or an offline plan of the platform
     * stack file beside it; the offline engine answers the shard's StackReference with them.
     */
    private static Result shard(Path directory, String project, StackFile stackFile, BiConsumer<Context, PlatformConfig> program,
                                SchemaCatalog catalog, Map<String, Object> platformOutputs) {
        var shard = dev.dataplatform.fleet.Shard.parse(stackFile, project);
        var siblings = new java.util.TreeMap<String, dev.dataplatform.fleet.Shard.Config>();
        for (String other : dev.dataplatform.fleet.Shard.shardsIn(directory, shard.environment().id())) {
            siblings.put(other, other.equals(stackFile.stack()) ? shard
                    : dev.dataplatform.fleet.Shard.parse(StackFile.load(directory, other), project));
        }
        dev.dataplatform.fleet.Shard.duplicates(siblings).ifPresent(e -> {
            throw e;
        });
        Map<String, Object> outputs = platformOutputs;
        if (outputs == null) {
            var platform = run(directory, shard.environment().id(), program, null, null);
            if (!platform.recording().succeeded()) {
                throw ConfigException.of(StackFile.fileName(shard.environment().id()), "(file)", "the platform stack does not plan: "
                        + platform.recording().exceptions() + platform.recording().engineErrors());
            }
            outputs = platform.recording().outputs();
        }
        PlatformConfig config = dev.dataplatform.fleet.Shard.merge(shard, outputs.get(dev.dataplatform.fleet.Shard.EXPORT));
        var recording = OfflineEngine.run(OfflineEngine.RunOptions.preview(project, stackFile.stack())
                        .withDefaultProvidersDisabled(config.disabledDefaultProviders())
                        .withStackOutputs(Map.of(shard.platformStack(), outputs)),
                ctx -> dev.dataplatform.fleet.Shard.declare(ctx, shard, c -> program.accept(ctx, c)));
        var view = new PlanView(config.environment(), recording.resources(), recording.outputs());
        var findings = new ArrayList<>(Guardrails.evaluate(view));
        if (catalog != null) {
            findings.addAll(catalog.validate(recording.resources()));
        }
        return new Result(config, recording.withPlaintextSecretsMasked(), List.copyOf(findings));
    }

    /**
     * The resources the tenant shards beside a platform stack declare, by their URN without the stack
     * ({@link PlanDiff#withoutStack}), to the shard's name: each shard planned offline over the platform plan's outputs.
     * A shard that does not plan is skipped with a note on {@code err} (its resources then stay deletes).
     */
    static Map<String, String> shardResources(Path directory, Result platform, BiConsumer<Context, PlatformConfig> program,
                                              java.io.PrintWriter err) {
        var found = new java.util.HashMap<String, String>();
        String environment = platform.config().environment().id();
        if (!environment.equals(platform.recording().stack())) {
            return found; // only the platform stack <env> has shards
        }
        for (String shard : dev.dataplatform.fleet.Shard.shardsIn(directory, environment)) {
            try {
                var planned = run(directory, shard, program, null, platform.recording().outputs());
                if (!planned.recording().succeeded()) {
                    err.println("note: " + shard + " does not plan, so no move to it is shown: "
                            + planned.recording().exceptions() + planned.recording().engineErrors());
                    continue;
                }
                planned.recording().resources().forEach(r -> found.putIfAbsent(PlanDiff.withoutStack(r.urn()), shard));
            } catch (ConfigException e) {
                err.println("note: " + shard + " does not plan, so no move to it is shown: " + e.getMessage());
            }
        }
        err.flush();
        return found;
    }

    /** What the Pulumi CLI accepts as a project name (pkg/workspace ValidateProjectName). */
    static final java.util.regex.Pattern PROJECT_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** The project name from Pulumi.yaml, as the CLI would use it in URNs. */
    public static String projectName(Path directory) {
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
