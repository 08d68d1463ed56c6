package dev.dataplatform.fleet;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.resources.StackReference;
import com.pulumi.resources.StackReferenceArgs;
import dev.dataplatform.config.ConfigError;
import dev.dataplatform.config.ConfigException;
import dev.dataplatform.config.ConfigSource;
import dev.dataplatform.config.PlatformConfig;
import dev.dataplatform.config.PlatformConfigParser;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.config.TenantsConfig;
import dev.dataplatform.core.Environment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A tenant shard: a stack named {@code <env>-tenants-NN} that holds only StackGres clients. What the
 * clients share (the cluster they run on, the AWS identity, backups, namespaces, PostgreSQL version)
 * is the platform stack's: the shard reads the platform's {@value #EXPORT} output through a real
 * {@code pulumi:pulumi:StackReference} and declares its own Kubernetes provider from the cluster's
 * identity (a provider cannot be shared across stacks).
 *
 * <p>Keys of a shard stack file: {@code data-platform:environment}, {@code data-platform:tenants.clients}
 * (as in a platform stack), optionally {@code data-platform:platformStack} (default
 * {@code <org>/<project>/<env>}), {@code data-platform:org} (default {@value #DEFAULT_ORG}, the DIY
 * backends' organization), {@code data-platform:shardSize} (default {@value #DEFAULT_SIZE}) and
 * {@code pulumi:disable-default-providers}.
 */
public final class Shard {
    /** The platform output a shard reads. */
    public static final String EXPORT = "tenantPlatform";
    public static final String DEFAULT_ORG = "organization";
    public static final int DEFAULT_SIZE = 100;
    public static final Pattern NAME = Pattern.compile("([a-z][a-z0-9]*)-tenants-([0-9]{2,3})");
    static final Pattern PLATFORM_STACK = Pattern.compile("(?:[A-Za-z0-9_.-]{1,100}/){0,2}[A-Za-z0-9_.-]{1,100}");
    /** The keys only a shard stack file has (documented in docs/configuration.md beside the platform's). */
    public static final Set<String> SHARD_ONLY_KEYS = Set.of("data-platform:platformStack", "data-platform:org",
            "data-platform:shardSize");
    static final Set<String> KEYS = Set.of("data-platform:environment", "data-platform:platformStack", "data-platform:org",
            "data-platform:shardSize", "data-platform:tenants", "pulumi:disable-default-providers");

    /**
     * A shard's own config.
     *
     * @param clients the raw client entries (checked when merged with the platform's settings)
     */
    public record Config(String file, String stack, Environment environment, String platformStack, int size,
                         List<Object> clients, Object disabledDefaultProviders) {
        public List<String> clientNames() {
            var names = new ArrayList<String>();
            for (Object c : clients) {
                if (c instanceof Map<?, ?> m && m.get("name") instanceof String n) {
                    names.add(n);
                }
            }
            return names;
        }
    }

    private Shard() {
    }

    /** True if the stack is a shard: its name is {@code <env>-tenants-NN}. */
    public static boolean isShard(String stack) {
        return NAME.matcher(stack.substring(stack.lastIndexOf('/') + 1)).matches();
    }

    /** The environment a shard name starts with. */
    public static String environmentOf(String stack) {
        var m = NAME.matcher(stack.substring(stack.lastIndexOf('/') + 1));
        return m.matches() ? m.group(1) : null;
    }

    /** The shard's own config, every problem reported with file and key. */
    public static Config parse(ConfigSource source, String project) {
        var errors = new ArrayList<ConfigError>();
        String file = source.file();
        var values = source.values();
        for (String key : new java.util.TreeSet<>(values.keySet())) {
            if (!KEYS.contains(key)) {
                errors.add(new ConfigError(file, key, "is not a shard key: a tenant shard holds only its clients and its "
                        + "platform reference; allowed: " + String.join(", ", new java.util.TreeSet<>(KEYS))
                        + " (shared tenant settings belong in the platform stack's data-platform:tenants)"));
            }
        }
        String stack = source.stack().substring(source.stack().lastIndexOf('/') + 1);
        Environment environment = null;
        Object env = values.get("data-platform:environment");
        if (!(env instanceof String id) || Environment.fromId(id).isEmpty()) {
            errors.add(new ConfigError(file, "data-platform:environment", "is required: dev, stage or prod"));
        } else {
            environment = Environment.fromId(id).get();
            if (!id.equals(environmentOf(stack))) {
                errors.add(new ConfigError(file, "data-platform:environment", "is '" + id + "' but the shard is named '" + stack
                        + "': a shard named <env>-tenants-NN must deploy that environment"));
            }
        }
        String org = DEFAULT_ORG;
        if (values.get("data-platform:org") instanceof String o) {
            org = o;
        } else if (values.containsKey("data-platform:org")) {
            errors.add(new ConfigError(file, "data-platform:org", "must be the Pulumi organization name (a string)"));
        }
        String platformStack = org + "/" + project + "/" + (environment == null ? "?" : environment.id());
        Object ref = values.get("data-platform:platformStack");
        if (ref != null) {
            if (!(ref instanceof String s) || !PLATFORM_STACK.matcher(s).matches()) {
                errors.add(new ConfigError(file, "data-platform:platformStack", "must name a stack: <org>/<project>/<stack>"));
            } else {
                platformStack = s;
            }
        }
        String referenced = platformStack.substring(platformStack.lastIndexOf('/') + 1);
        if (environment != null && !referenced.equals(environment.id())) {
            errors.add(new ConfigError(file, "data-platform:platformStack", "'" + platformStack + "' is not the platform of "
                    + environment.id() + ": a " + environment.id() + " shard reads the stack " + environment.id()
                    + " (e.g. " + org + "/" + project + "/" + environment.id() + ")"));
        }
        int size = DEFAULT_SIZE;
        Object sz = values.get("data-platform:shardSize");
        if (sz != null) {
            if (sz instanceof Long l && l >= 1 && l <= 1000) {
                size = l.intValue();
            } else if (sz instanceof String s && s.matches("[0-9]{1,4}") && Integer.parseInt(s) >= 1 && Integer.parseInt(s) <= 1000) {
                size = Integer.parseInt(s);
            } else {
                errors.add(new ConfigError(file, "data-platform:shardSize", "must be a whole number from 1 to 1000 (clients per shard)"));
            }
        }
        List<Object> clients = List.of();
        Object tenants = values.get("data-platform:tenants");
        if (!(tenants instanceof Map<?, ?> t)) {
            errors.add(new ConfigError(file, "data-platform:tenants", "is required: {clients: [...]}"));
        } else {
            for (Object key : t.keySet()) {
                if (!"clients".equals(key)) {
                    errors.add(new ConfigError(file, "data-platform:tenants." + key, "is not a shard key: a shard's "
                            + "data-platform:tenants holds only clients; " + key + " is the platform stack's"));
                }
            }
            if (t.containsKey("clients") && t.get("clients") == null) {
                clients = List.of();
            } else if (t.get("clients") instanceof List<?> list) {
                clients = new ArrayList<>(list);
            } else {
                errors.add(new ConfigError(file, "data-platform:tenants.clients", "is required: a list of clients"));
            }
        }
        if (clients.size() > size) {
            errors.add(new ConfigError(file, "data-platform:tenants.clients", clients.size() + " clients is over the shard's "
                    + "size " + size + " (data-platform:shardSize): move clients to another shard or add one"));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new Config(file, source.stack(), environment, platformStack, size, List.copyOf(clients),
                values.get("pulumi:disable-default-providers"));
    }

    /**
     * The platform's {@value #EXPORT} output: what a shard of its environment needs. Raw config shapes, so a
     * shard's clients are checked by the same parser as a platform's.
     */
    public static Map<String, Object> export(PlatformConfig config, TenantsConfig t) {
        var out = new LinkedHashMap<String, Object>();
        out.put("environment", config.environment().id());
        var clusters = new TreeMap<String, Object>();
        var cluster = config.clusters().placed(dev.dataplatform.config.ClustersConfig.Component.TENANTS);
        cluster.ifPresent(c -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
            switch (c.kind()) {
                case GKE -> {
                    m.put("project", c.gke().project());
                    m.put("location", c.gke().location());
                    m.put("name", c.gke().clusterName());
                }
                case EKS -> {
                    m.put("region", c.eks().region());
                    m.put("name", c.eks().clusterName());
                    m.put("accountId", c.eks().accountId());
                    m.put("oidcProvider", c.eks().oidcProvider());
                }
                // The kubeconfig itself is a secret of the platform: a shard uses the deployer's file and context.
                case KUBECONFIG -> m.put("context", c.context());
            }
            clusters.put(c.name(), m);
        });
        out.put("clusters", clusters);
        var tenants = new LinkedHashMap<String, Object>();
        cluster.ifPresent(c -> tenants.put("cluster", c.name()));
        tenants.put("aws", Map.of("accountId", t.aws().accountId(), "region", t.aws().region(), "oidcProvider", t.aws().oidcProvider()));
        tenants.put("operatorNamespace", t.operatorNamespace());
        tenants.put("monitoringNamespace", t.monitoringNamespace());
        tenants.put("kedaNamespace", t.kedaNamespace());
        tenants.put("postgresVersion", t.postgresVersion());
        if (t.backups() != null) {
            var b = t.backups();
            var backups = new LinkedHashMap<String, Object>();
            backups.put("bucket", b.bucket());
            backups.put("endpoint", b.endpoint());
            backups.put("credentialsParameter", b.credentialsParameter());
            backups.put("cronSchedule", b.cronSchedule());
            backups.put("retention", b.retention());
            tenants.put("backups", backups);
        }
        out.put("tenants", tenants);
        // The pgSTAC release a shard's pgstac tenants migrate to is the environment's, as on the platform.
        config.pgstac().ifPresent(p -> out.put("pgstacVersion", p.version()));
        // Tenant alert rules (data-platform:alerts.tenants) are declared by the shard that holds the tenant, with the
        // platform's thresholds.
        config.alerts().filter(a -> a.tenants() != null).ifPresent(a -> {
            var alerts = new LinkedHashMap<String, Object>();
            alerts.put("tenants", Map.of("prometheusRules", true, "ruleLabels", new TreeMap<>(a.tenants().ruleLabels())));
            alerts.put("thresholds", new TreeMap<>(a.thresholds().asMap()));
            out.put("alerts", alerts);
        });
        var labels = new TreeMap<String, Object>(config.labels());
        labels.remove("environment");
        labels.remove("managed-by");
        out.put("labels", labels);
        // A client named like a shared namespace would take it as its application namespace; the platform's own
        // clients (before they move to a shard) keep their names.
        var reserved = new java.util.TreeSet<String>(List.of(t.operatorNamespace(), t.monitoringNamespace(), t.kedaNamespace()));
        t.clients().forEach(c -> reserved.add(c.name()));
        out.put("reservedNames", List.copyOf(reserved));
        return out;
    }

    /**
     * The shard's whole config: the platform's shared settings with the shard's clients, parsed by the
     * platform's parser (errors name the shard file and the client's key path).
     */
    @SuppressWarnings("unchecked")
    public static PlatformConfig merge(Config shard, Object platformExport) {
        if (!(platformExport instanceof Map<?, ?> exported) || !(exported.get("tenants") instanceof Map<?, ?> tenants)) {
            throw ConfigException.of(shard.file(), "data-platform:platformStack", "the platform stack '" + shard.platformStack()
                    + "' exports no " + EXPORT + ": it needs data-platform:tenants (the shared settings) and an up to date deployment");
        }
        if (!String.valueOf(shard.environment().id()).equals(exported.get("environment"))) {
            throw ConfigException.of(shard.file(), "data-platform:platformStack", "'" + shard.platformStack() + "' deploys environment '"
                    + exported.get("environment") + "', not " + shard.environment().id());
        }
        var errors = new ArrayList<ConfigError>();
        var reserved = exported.get("reservedNames") instanceof List<?> r ? r : List.of();
        for (int i = 0; i < shard.clients().size(); i++) {
            if (shard.clients().get(i) instanceof Map<?, ?> c && reserved.contains(c.get("name"))) {
                errors.add(new ConfigError(shard.file(), "data-platform:tenants.clients[" + i + "].name", "'" + c.get("name")
                        + "' is reserved by the platform stack " + shard.platformStack() + " (reserved: " + reserved + ")"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        var values = new LinkedHashMap<String, Object>();
        values.put("data-platform:environment", shard.environment().id());
        values.put("pulumi:disable-default-providers", shard.disabledDefaultProviders() == null ? List.of("kubernetes")
                : shard.disabledDefaultProviders());
        if (exported.get("clusters") instanceof Map<?, ?> clusters && !clusters.isEmpty()) {
            values.put("data-platform:clusters", clusters);
        }
        if (exported.get("labels") instanceof Map<?, ?> labels && !labels.isEmpty()) {
            values.put("data-platform:labels", labels);
        }
        if (exported.get("pgstacVersion") instanceof String version) {
            values.put("data-platform:pgstacVersion", version);
        }
        if (exported.get("alerts") instanceof Map<?, ?> alerts) {
            values.put("data-platform:alerts", wholeNumbers(alerts));
        }
        var t = new LinkedHashMap<String, Object>((Map<String, Object>) wholeNumbers(tenants));
        t.put("clients", shard.clients());
        values.put("data-platform:tenants", t);
        var source = new ConfigSource() {
            public String file() {
                return shard.file();
            }

            public String stack() {
                return shard.stack();
            }

            public Map<String, Object> values() {
                return values;
            }

            public boolean isSecret(String fullKey) {
                return false;
            }
        };
        return PlatformConfigParser.parse(source);
    }

    /**
     * The shard program: the StackReference to the platform, its {@value #EXPORT} read (as pulumi-java's
     * stack-reference integration test does, joining the value inside the program), then {@code program}
     * over the merged config.
     */
    public static void declare(Context ctx, Config shard, Consumer<PlatformConfig> program) {
        var platform = new StackReference("platform", StackReferenceArgs.builder().name(Output.of(shard.platformStack())).build());
        Object exported;
        try {
            exported = platform.getValueAsync(EXPORT).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw ConfigException.of(shard.file(), "data-platform:platformStack", "cannot read stack '" + shard.platformStack()
                    + "': " + (e.getCause() == null ? e : e.getCause()).getMessage());
        }
        program.accept(merge(shard, exported));
        ctx.export("platformStack", Output.of(shard.platformStack()));
    }

    /** Numbers as the stack file parser gives them: whole numbers as Long (JSON and the engine give Double or Integer). */
    static Object wholeNumbers(Object value) {
        if (value instanceof Map<?, ?> map) {
            var out = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> out.put(String.valueOf(k), wholeNumbers(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Shard::wholeNumbers).toList();
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        return value;
    }

    /** The shard files of an environment in a project directory, by stack name. */
    public static List<String> shardsIn(Path directory, String environment) {
        return StackFile.stacksIn(directory).stream()
                .filter(s -> environment.equals(environmentOf(s)))
                .sorted().toList();
    }

    /** The same client in two shards of an environment: an error naming both files and keys. */
    public static Optional<ConfigException> duplicates(Map<String, Config> shards) {
        var seen = new TreeMap<String, String>();
        var errors = new ArrayList<ConfigError>();
        for (var shard : shards.values()) {
            var names = shard.clientNames();
            for (int i = 0; i < names.size(); i++) {
                String where = shard.file() + " data-platform:tenants.clients[" + i + "]";
                String earlier = seen.putIfAbsent(names.get(i), where);
                if (earlier != null) {
                    errors.add(new ConfigError(shard.file(), "data-platform:tenants.clients[" + i + "].name", "'" + names.get(i)
                            + "' is also in " + earlier + ": a client lives in exactly one shard"));
                }
            }
        }
        return errors.isEmpty() ? Optional.empty() : Optional.of(new ConfigException(errors));
    }
}
