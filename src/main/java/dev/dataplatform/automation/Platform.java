package dev.dataplatform.automation;

import dev.dataplatform.config.ConfigException;
import dev.dataplatform.config.ConfigNode;
import dev.dataplatform.config.PlatformConfigParser;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.core.Environment;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.guardrails.Severity;
import dev.dataplatform.plan.Plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The data platform for internal tools: stacks, config, preview/up/refresh/destroy with progress,
 * typed outputs, and tenant onboarding, over one {@link PulumiEngine} (the Pulumi CLI through the
 * Automation API in production, a mock in tests).
 *
 * <pre>{@code
 * var platform = Platform.open(Path.of("/srv/data-platform"), progress -> log.info(progress.toString()));
 * var changes = platform.preview("stage");
 * platform.onboardTenant("stage-tenants-01", new TenantOnboarding.Client("initech", null, List.of("postgis")), true);
 * String url = platform.outputs("stage-tenants-01").tenants().get("initech").ssmParameter();
 * }</pre>
 */
public final class Platform {
    static final Pattern CONFIG_KEY = Pattern.compile("[a-z][a-z0-9-]*:[A-Za-z][A-Za-z0-9_.\\[\\]-]*");

    private final Path projectDir;
    private final PulumiEngine engine;
    private final Consumer<PulumiEngine.Progress> progress;

    public Platform(Path projectDir, PulumiEngine engine, Consumer<PulumiEngine.Progress> progress) {
        this.projectDir = Objects.requireNonNull(projectDir);
        this.engine = Objects.requireNonNull(engine);
        this.progress = Objects.requireNonNull(progress);
    }

    /** The project in {@code projectDir} through the installed Pulumi CLI. */
    public static Platform open(Path projectDir, Consumer<PulumiEngine.Progress> progress) {
        return new Platform(projectDir, PulumiCliEngine.open(projectDir), progress);
    }

    public List<String> stacks() {
        return engine.listStacks();
    }

    public void createStack(String stack) {
        engine.createStack(stack);
    }

    public void selectStack(String stack) {
        engine.selectStack(stack);
    }

    /** Sets a plain config value; the key is namespaced ({@code data-platform:...}) and may be a path. */
    public void setConfig(String stack, String key, String value) {
        engine.setConfig(stack, checkedKey(key), value, false);
    }

    /** Sets a secret: encrypted by the stack's secrets provider, never written in plain text. */
    public void setSecret(String stack, String key, String value) {
        engine.setConfig(stack, checkedKey(key), value, true);
    }

    public PulumiEngine.Changes preview(String stack) {
        return engine.preview(stack, progress);
    }

    public PulumiEngine.Changes up(String stack) {
        return engine.up(stack, progress);
    }

    public PulumiEngine.Changes refresh(String stack) {
        return engine.refresh(stack, progress);
    }

    /**
     * Destroys the stack's resources. Stacks whose environment holds durable data (stage, prod), or
     * whose environment cannot be read, are refused unless {@code force}; even then Pulumi refuses
     * protected resources, which must be unprotected first.
     */
    public PulumiEngine.Changes destroy(String stack, boolean force) {
        if (!force) {
            var environment = environment(stack);
            if (environment.isEmpty() || environment.get().holdsDurableData()) {
                throw new PlatformException(PlatformException.Kind.REFUSED, "refusing to destroy stack '" + stack + "'"
                        + environment.map(e -> ": environment " + e.id() + " holds durable data")
                        .orElse(": its environment cannot be read from " + StackFile.fileName(stack))
                        + "; pass force to destroy anyway (protected resources still stop it)");
            }
        }
        return engine.destroy(stack, progress);
    }

    /** The stack's outputs, typed; secret outputs masked. */
    public PlatformOutputs outputs(String stack) {
        return outputs(stack, false);
    }

    /** The stack's outputs, typed; secret outputs in clear only when {@code showSecrets}. */
    public PlatformOutputs outputs(String stack, boolean showSecrets) {
        return PlatformOutputs.of(engine.outputs(stack, showSecrets));
    }

    /** What onboarding did: the offline plan's findings and, if it ran, the preview or update's changes. */
    public record Onboarding(List<Finding> findings, PulumiEngine.Changes changes, boolean applied) {
    }

    /**
     * Adds {@code client} to the stack's tenants, validates the stack offline (config and guardrails,
     * as the plan does), then previews it, or updates it when {@code apply}. If the offline check
     * fails the stack file is left as it was.
     */
    public Onboarding onboardTenant(String stack, TenantOnboarding.Client client, boolean apply) {
        var findings = addTenantOffline(projectDir, stack, client);
        var changes = apply ? engine.up(stack, progress) : engine.preview(stack, progress);
        return new Onboarding(findings, changes, apply);
    }

    /**
     * The offline half of onboarding, needing no Pulumi CLI: adds the client to the stack file, then plans it
     * offline; on any problem the file is restored and the problem thrown. Returns the plan's findings.
     */
    public static List<Finding> addTenantOffline(Path projectDir, String stack, TenantOnboarding.Client client) {
        var shards = dev.dataplatform.fleet.Shard.isShard(stack) ? List.<String>of() : dev.dataplatform.fleet.Shard.shardsIn(projectDir, stack);
        if (!shards.isEmpty()) {
            // A client in the platform stack of an environment with shards would be declared beside them: the platform
            // reserves its name, and what the shards share would be declared twice.
            throw new PlatformException(PlatformException.Kind.INVALID, StackFile.fileName(stack) + ": data-platform:tenants.clients: "
                    + "stack " + stack + " has tenant shards (" + String.join(", ", shards) + "); allowed: --env " + stack
                    + " (the least-loaded shard) or --stack <one of them>");
        }
        Path file = projectDir.resolve(StackFile.fileName(stack));
        String before;
        try {
            before = Files.readString(file);
        } catch (IOException e) {
            throw new PlatformException(PlatformException.Kind.INVALID, StackFile.fileName(stack) + " not found in " + projectDir, e);
        }
        String after = TenantOnboarding.addClient(before, StackFile.fileName(stack), client);
        write(file, after);
        List<Finding> findings;
        try {
            var plan = Plan.run(projectDir, stack);
            if (!plan.recording().succeeded()) {
                throw new PlatformException(PlatformException.Kind.INVALID, "the stack with client '" + client.name()
                        + "' does not plan: " + plan.recording().exceptions() + plan.recording().engineErrors());
            }
            findings = plan.findings();
            var errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
            if (!errors.isEmpty()) {
                throw new PlatformException(PlatformException.Kind.INVALID, "the stack with client '" + client.name()
                        + "' fails the guardrails: " + errors);
            }
        } catch (ConfigException e) {
            write(file, before);
            throw new PlatformException(PlatformException.Kind.INVALID, "client '" + client.name() + "' makes the config invalid:\n  "
                    + String.join("\n  ", e.errors().stream().map(Object::toString).toList()), e);
        } catch (RuntimeException e) {
            write(file, before);
            throw e instanceof PlatformException p ? p
                    : new PlatformException(PlatformException.Kind.INVALID, "the offline plan failed: " + e.getMessage(), e);
        }
        return findings;
    }

    /** A removal checked offline: the shard that held the client, the resources that go, the plan's findings. */
    public record Removal(String stack, String file, List<String> removed, List<Finding> findings) {
    }

    /**
     * The offline half of {@code tenants remove}: finds the tenant shard of {@code environment} that holds the client,
     * removes its entry from that file only, and plans the shard before and after. Refused, with the file unchanged,
     * when the client is in no shard, or when a resource the removal deletes is protected: the same protection
     * {@code pulumi up} enforces (stage and prod protect a tenant's data until its entry says {@code decommission: true}).
     */
    public static Removal removeTenantOffline(Path projectDir, String environment, String name) {
        if (Environment.fromId(environment).isEmpty()) {
            throw new PlatformException(PlatformException.Kind.INVALID, "--env " + environment + ": allowed: dev, stage, prod");
        }
        StackFile.checkDirectory(projectDir);
        String project = Plan.projectName(projectDir);
        var shards = dev.dataplatform.fleet.Shard.shardsIn(projectDir, environment);
        String stack = null;
        int index = -1;
        for (String shard : shards) {
            var config = dev.dataplatform.fleet.Shard.parse(StackFile.load(projectDir, shard), project);
            index = config.clientNames().indexOf(name);
            if (index >= 0) {
                stack = shard;
                break;
            }
        }
        if (stack == null) {
            throw new PlatformException(PlatformException.Kind.INVALID, "client '" + name + "' is in no tenant shard of "
                    + environment + (shards.isEmpty() ? " (there is no Pulumi." + environment + "-tenants-NN.yaml)"
                    : " (searched data-platform:tenants.clients of " + String.join(", ", shards.stream().map(StackFile::fileName).toList())
                    + ")") + ": nothing to remove");
        }
        String file = StackFile.fileName(stack);
        var before = Plan.run(projectDir, stack);
        if (!before.recording().succeeded()) {
            throw new PlatformException(PlatformException.Kind.INVALID, file + " does not plan before the removal: "
                    + before.recording().exceptions() + before.recording().engineErrors());
        }
        Path path = projectDir.resolve(file);
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new PlatformException(PlatformException.Kind.INVALID, file + " cannot be read: " + e.getMessage(), e);
        }
        write(path, TenantOnboarding.removeClient(text, file, name));
        try {
            var after = Plan.run(projectDir, stack);
            if (!after.recording().succeeded()) {
                throw new PlatformException(PlatformException.Kind.INVALID, file + " without client '" + name
                        + "' does not plan: " + after.recording().exceptions() + after.recording().engineErrors());
            }
            var remaining = new java.util.HashSet<String>();
            after.recording().resources().forEach(r -> remaining.add(r.urn()));
            var gone = before.recording().resources().stream().filter(r -> !remaining.contains(r.urn())).toList();
            var protectedOnes = gone.stream().filter(r -> r.options().protect()).toList();
            if (!protectedOnes.isEmpty()) {
                throw new PlatformException(PlatformException.Kind.INVALID, file + ": data-platform:tenants.clients[" + index
                        + "].decommission: client '" + name + "' is protected in " + environment + " ("
                        + String.join(", ", protectedOnes.stream().limit(3).map(r -> r.type().substring(r.type().lastIndexOf(':') + 1)
                        + " " + r.name()).toList()) + (protectedOnes.size() > 3 ? ", ..." : "") + "): set decommission: true on its "
                        + "entry and run pulumi up first (that lifts the protection; take a final backup), then remove it "
                        + "(docs/tenants.md)");
            }
            var errors = after.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
            if (!errors.isEmpty()) {
                throw new PlatformException(PlatformException.Kind.INVALID, file + " without client '" + name
                        + "' fails the guardrails: " + errors);
            }
            return new Removal(stack, file, gone.stream().map(dev.dataplatform.engine.PlannedResource::urn).toList(), after.findings());
        } catch (RuntimeException e) {
            write(path, text);
            if (e instanceof ConfigException c) {
                throw new PlatformException(PlatformException.Kind.INVALID, "removing client '" + name + "' makes the config invalid:\n  "
                        + String.join("\n  ", c.errors().stream().map(Object::toString).toList()), c);
            }
            throw e;
        }
    }

    private java.util.Optional<Environment> environment(String stack) {
        try {
            var file = StackFile.load(projectDir, stack);
            return java.util.Optional.of(PlatformConfigParser.parse(file, new ConfigNode.Context(file.file(), false)).environment());
        } catch (ConfigException e) {
            return java.util.Optional.empty();
        }
    }

    private static String checkedKey(String key) {
        if (key == null || !CONFIG_KEY.matcher(key).matches()) {
            throw new PlatformException(PlatformException.Kind.INVALID, "config key '" + key
                    + "' is not namespaced: use e.g. data-platform:cloudSql.adminPassword");
        }
        return key;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new PlatformException(PlatformException.Kind.INVALID, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
