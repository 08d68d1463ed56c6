package dev.dataplatform.plan;

import com.google.gson.GsonBuilder;
import dev.dataplatform.automation.Platform;
import dev.dataplatform.automation.PlatformException;
import dev.dataplatform.automation.PulumiEngine;
import dev.dataplatform.automation.TenantOnboarding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The commands that run through the Pulumi CLI (Automation API). Progress goes to stdout as one line
 * per resource step; with {@code --json}, stdout holds one JSON document and progress goes to stderr.
 */
final class AutomationCommands {
    private AutomationCommands() {
    }

    /** Options every operation takes. */
    static class Common {
        @Option(names = "--cwd", defaultValue = ".", description = "Project directory (default: current directory).")
        Path cwd;

        @Option(names = "--json", description = "Print one JSON document to stdout (progress goes to stderr).")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Cli cli() {
            CommandLine line = spec.commandLine();
            while (line.getParent() != null) {
                line = line.getParent();
            }
            return (Cli) line.getCommand();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        Platform platform() {
            PrintWriter progressTo = json ? err() : out();
            return new Platform(cwd, cli().engines.apply(cwd), progress -> progressTo.println(line(progress)));
        }

        void print(Object document, String human) {
            if (json) {
                out().println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(document));
            } else {
                out().println(human);
            }
            out().flush();
        }
    }

    static class StackCommon extends Common {
        @Option(names = "--stack", required = true, description = "Stack name.")
        String stack;
    }

    /** One progress line: "+ create  kubernetes:stackgres.io/v1:SGCluster  globex-cluster". */
    static String line(PulumiEngine.Progress progress) {
        return switch (progress.kind()) {
            case RESOURCE -> symbol(progress.operation()) + " " + pad(progress.operation(), 9) + " " + progress.type() + "  "
                    + progress.name();
            case DIAGNOSTIC -> progress.operation() + ": " + (progress.urn() == null ? "" : progress.name() + ": ") + progress.message();
            case FAILURE -> "! " + pad(progress.operation(), 9) + " " + progress.type() + "  " + progress.name() + " failed";
            case SUMMARY -> "summary: " + progress.message();
        };
    }

    private static String symbol(String operation) {
        return switch (operation) {
            case "create" -> "+";
            case "delete" -> "-";
            case "update" -> "~";
            case "replace", "create-replacement", "delete-replaced" -> "±";
            case "same" -> " ";
            default -> "*";
        };
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String summary(PulumiEngine.Changes changes) {
        var parts = new TreeMap<>(changes.byKind());
        return parts.isEmpty() ? "no changes" : String.join(", ", parts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).toList());
    }

    static Map<String, Object> changesJson(String stack, String operation, PulumiEngine.Changes changes) {
        var document = new LinkedHashMap<String, Object>();
        document.put("stack", stack);
        document.put("operation", operation);
        document.put("changes", new TreeMap<>(changes.byKind()));
        return document;
    }

    @Command(name = "stacks", mixinStandardHelpOptions = true, description = "List the project's stacks in the backend.")
    static final class Stacks extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            var stacks = platform().stacks();
            print(Map.of("stacks", stacks), String.join("\n", stacks));
            return Cli.OK;
        }
    }

    /** An operation whose result is the change summary. */
    abstract static class Operation extends StackCommon implements Callable<Integer> {
        abstract String verb();

        abstract PulumiEngine.Changes run(Platform platform);

        @Override
        public Integer call() {
            var changes = run(platform());
            print(changesJson(stack, spec.name(), changes), verb() + " " + stack + ": " + summary(changes));
            return Cli.OK;
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true, description = "Preview a stack's changes (pulumi preview).")
    static final class Preview extends Operation {
        String verb() {
            return "preview of";
        }

        PulumiEngine.Changes run(Platform platform) {
            return platform.preview(stack);
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Update a stack (pulumi up).")
    static final class Up extends Operation {
        String verb() {
            return "updated";
        }

        PulumiEngine.Changes run(Platform platform) {
            return platform.up(stack);
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true, description = "Refresh a stack's state from the cloud.")
    static final class Refresh extends Operation {
        String verb() {
            return "refreshed";
        }

        PulumiEngine.Changes run(Platform platform) {
            return platform.refresh(stack);
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = "Destroy a stack's resources; stage and prod only with --force.")
    static final class Destroy extends Operation {
        @Option(names = "--force", description = "Destroy a stack whose environment holds durable data (stage, prod).")
        boolean force;

        String verb() {
            return "destroyed";
        }

        PulumiEngine.Changes run(Platform platform) {
            return platform.destroy(stack, force);
        }
    }

    @Command(name = "outputs", mixinStandardHelpOptions = true,
            description = "Print a stack's outputs as JSON values (secrets masked unless --show-secrets).")
    static final class Outputs extends StackCommon implements Callable<Integer> {
        @Option(names = "--show-secrets", description = "Print secret outputs in clear (default: \"[secret]\").")
        boolean showSecrets;

        @Override
        public Integer call() {
            var outputs = platform().outputs(stack, showSecrets);
            var document = new TreeMap<String, Object>();
            outputs.all().forEach((name, output) -> document.put(name, output.value()));
            var compact = new GsonBuilder().serializeNulls().create();
            var human = new StringBuilder();
            document.forEach((name, value) -> human.append(name).append(": ")
                    .append(value instanceof String s ? s : compact.toJson(value)).append('\n'));
            print(document, human.toString().stripTrailing());
            return Cli.OK;
        }
    }

    @Command(name = "tenants", mixinStandardHelpOptions = true, description = "Manage StackGres tenants.",
            subcommands = {TenantsAdd.class, TenantsRemove.class})
    static final class Tenants implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return Cli.INVALID;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a client from the tenant shard of --env that holds it, check it offline, then preview (or --apply: up). "
                    + "Refused while the client's data is protected (set decommission: true and pulumi up first).")
    static final class TenantsRemove extends Common implements Callable<Integer> {
        @Option(names = "--env", required = true, description = "The environment whose tenant shards (<env>-tenants-NN) are searched.")
        String env;

        @Option(names = "--name", required = true, description = "Client name.")
        String name;

        @Option(names = "--apply", description = "Run pulumi up on the shard after the checks instead of a preview.")
        boolean apply;

        @Option(names = "--no-apply", description = "Only edit and check the shard file offline (no Pulumi CLI needed), then stop.")
        boolean noApply;

        @Override
        public Integer call() {
            if (noApply && apply) {
                throw new PlatformException(PlatformException.Kind.INVALID, "--apply and --no-apply exclude each other");
            }
            var removal = Platform.removeTenantOffline(cwd, env, name);
            var warnings = removal.findings().stream().map(f -> f.rule() + ": " + f.message()).toList();
            String what = "client " + name + " removed from " + removal.file() + " (the only file changed) and checked offline: "
                    + removal.removed().size() + " resources go";
            if (noApply) {
                var document = new LinkedHashMap<String, Object>();
                document.put("stack", removal.stack());
                document.put("client", name);
                document.put("file", removal.file());
                document.put("removed", removal.removed());
                document.put("warnings", warnings);
                print(document, what + "; run 'pulumi preview' (or 'preview --stack " + removal.stack() + "') to see the cloud changes");
                return Cli.OK;
            }
            var platform = platform();
            var changes = apply ? platform.up(removal.stack()) : platform.preview(removal.stack());
            var document = changesJson(removal.stack(), apply ? "up" : "preview", changes);
            document.put("client", name);
            document.put("file", removal.file());
            document.put("warnings", warnings);
            print(document, what + "; " + (apply ? "updated: " : "preview: ") + summary(changes)
                    + (apply ? "" : "\nrun again with --apply, or 'pulumi up', to delete it"));
            return Cli.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a client to a stack's tenants, check it with the offline plan, then preview (or --apply: up).")
    static final class TenantsAdd extends Common implements Callable<Integer> {
        @Option(names = "--stack", description = "The stack whose file gets the client.")
        String stack;

        @Option(names = "--env", description = "The environment: the client goes to the least-loaded tenant shard "
                + "(<env>-tenants-NN) with room, or a new shard when all are full.")
        String env;

        @Option(names = "--name", required = true, description = "Client name (DNS-1123 label, at most 40 characters).")
        String name;

        @Option(names = "--app-namespace", description = "The client's application namespace (default: the client name).")
        String appNamespace;

        @Option(names = "--extension", description = "A PostgreSQL extension to install (repeatable), e.g. postgis.")
        List<String> extensions = List.of();

        @Option(names = "--apply", description = "Run pulumi up after the checks instead of a preview.")
        boolean apply;

        @Option(names = "--no-apply", description = "Only edit and check the stack file offline (no Pulumi CLI needed), then stop.")
        boolean noApply;

        @Override
        public Integer call() {
            var client = new TenantOnboarding.Client(name, appNamespace, extensions);
            if (noApply && apply) {
                throw new PlatformException(PlatformException.Kind.INVALID, "--apply and --no-apply exclude each other");
            }
            if ((stack == null) == (env == null)) {
                throw new PlatformException(PlatformException.Kind.INVALID, "give exactly one of --stack and --env");
            }
            String created = null;
            if (env != null) {
                var pick = FleetCommand.pickShard(cwd, env);
                stack = pick[0];
                created = pick[1];
            }
            try {
                return add(client);
            } catch (RuntimeException e) {
                if (created != null) {
                    // The shard made for this client goes again with it.
                    try {
                        java.nio.file.Files.deleteIfExists(cwd.resolve(dev.dataplatform.config.StackFile.fileName(created)));
                    } catch (java.io.IOException ignored) {
                        // reported by the failure itself
                    }
                }
                throw e;
            }
        }

        private int add(TenantOnboarding.Client client) {
            // The name and the stack file are checked offline first: no Pulumi CLI is needed to be told a name is bad.
            var findings = Platform.addTenantOffline(cwd, stack, client);
            if (noApply) {
                var document = new LinkedHashMap<String, Object>();
                document.put("stack", stack);
                document.put("client", name);
                document.put("warnings", findings.stream().map(f -> f.rule() + ": " + f.message()).toList());
                document.put("file", "Pulumi." + stack + ".yaml");
                print(document, "client " + name + " added to Pulumi." + stack + ".yaml (the only file changed) and checked offline; "
                        + "run 'pulumi preview' (or 'preview --stack " + stack + "') to see the cloud changes");
                return Cli.OK;
            }
            var platform = platform();
            var result = new Platform.Onboarding(findings, apply ? platform.up(stack) : platform.preview(stack), apply);
            var document = changesJson(stack, apply ? "up" : "preview", result.changes());
            document.put("client", name);
            document.put("warnings", result.findings().stream().map(f -> f.rule() + ": " + f.message()).toList());
            print(document, "client " + name + " added to Pulumi." + stack + ".yaml and checked offline; "
                    + (apply ? "updated: " : "preview: ") + summary(result.changes())
                    + (apply ? "" : "\nrun again with --apply, or 'pulumi up', to create it"));
            return Cli.OK;
        }
    }
}
