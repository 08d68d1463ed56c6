package dev.dataplatform.config;

import dev.dataplatform.core.EnvironmentProfile;
import dev.dataplatform.core.Environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The one parser of stack config, for the engine ({@link EngineConfigSource}) and the offline plan
 * ({@link StackFile}) alike. It reports every problem at once, each with the stack file, the key path,
 * what is wrong and what is allowed, and declares nothing: bad config never reaches a resource.
 */
public final class PlatformConfigParser {
    public static final String NAMESPACE = "data-platform";
    /** Namespaces of the providers this program configures; any other namespace is a typo. */
    static final Set<String> PROVIDER_NAMESPACES = Set.of("gcp", "aws", "kubernetes", "postgresql", "pulumi");
    static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    static final String LABEL_KEY_RULE = "1-63 lower-case letters, digits, '_' or '-', starting with a letter";
    static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");
    static final String LABEL_VALUE_RULE = "0-63 lower-case letters, digits, '_' or '-'";
    /** Labels the program sets itself. */
    static final Set<String> RESERVED_LABELS = Set.of("environment", "managed-by");
    /** A key whose name says it holds a secret (checked at any depth). */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|secret|token|apikey|api_key|privatekey|private_key|secretkey|secretaccesskey)");

    static final Pattern EXTRA_REGION = Pattern.compile("[a-z]{2,20}(-[a-z]{2,20}){1,2}-?[0-9]{1,2}");

    private PlatformConfigParser() {
    }

    public static PlatformConfig parse(ConfigSource source) {
        return parse(source, new ConfigNode.Context(source.file()));
    }

    /** Parses with a caller-supplied context (tests read {@link ConfigNode.Context#keysRead()}). */
    public static PlatformConfig parse(ConfigSource source, ConfigNode.Context context) {
        var own = new LinkedHashMap<String, Object>();
        var secretKeys = new java.util.HashSet<String>();
        source.values().forEach((fullKey, value) -> {
            int colon = fullKey.indexOf(':');
            if (colon <= 0) {
                context.error(fullKey, "config keys must be namespaced, e.g. " + NAMESPACE + ":" + fullKey);
                return;
            }
            String namespace = fullKey.substring(0, colon);
            if (namespace.equals(NAMESPACE)) {
                own.put(fullKey.substring(colon + 1), value);
                if (source.isSecret(fullKey)) {
                    secretKeys.add(fullKey.substring(colon + 1));
                }
            } else if (!PROVIDER_NAMESPACES.contains(namespace)) {
                context.error(fullKey, "unknown namespace '" + namespace + "'" + ConfigNode.hint(namespace,
                        union(PROVIDER_NAMESPACES, NAMESPACE)) + "; allowed: " + NAMESPACE + ", "
                        + String.join(", ", new TreeSet<>(PROVIDER_NAMESPACES)));
            }
            if (!source.isSecret(fullKey)) {
                plainSecrets(fullKey, value, context);
                plainCredentialFile(fullKey, value, context);
            }
        });

        if (own.containsKey(LocalConfigParser.KEY)) {
            source.values().keySet().stream().filter(k -> LocalConfigParser.CLOUD_NAMESPACES.contains(k.substring(0, Math.max(0, k.indexOf(':')))))
                    .sorted().forEach(k -> LocalConfigParser.cloudProviderKey(k, context));
        }
        var root = ConfigNode.root(context, NAMESPACE + ":", own, secretKeys);
        context.extraRegions(root.strings("extraRegions", EXTRA_REGION, "region names such as europe-west15 or eu-south-3"));
        var environment = root.requireOneOf("environment", environments()).orElse(null);
        if (environment != null) {
            Environment.fromId(source.stack().substring(source.stack().lastIndexOf('/') + 1))
                    .filter(named -> named != environment)
                    .ifPresent(named -> root.error("environment", "is '" + environment.id() + "' but the stack is named '"
                            + named.id() + "': a stack named after an environment must deploy that environment"));
        }
        var profile = environment == null ? null : profile(root, environment);
        var clusters = ClustersConfigParser.parse(root);
        var disabledDefaultProviders = ClustersConfigParser.disabledDefaultProviders(source, context);
        var labels = labels(root, environment);
        var cloudSql = environment == null ? Optional.<CloudSqlConfig>empty()
                : CloudSqlConfigParser.parse(root, environment, profile);
        var rds = environment == null ? Optional.<RdsConfig>empty() : RdsConfigParser.parse(root, environment);
        var buckets = environment == null ? Optional.<BucketsConfig>empty() : BucketsConfigParser.parse(root, environment);
        var tenants = environment == null ? Optional.<TenantsConfig>empty() : TenantsConfigParser.parse(root, environment);
        var local = environment == null ? Optional.<LocalConfig>empty() : LocalConfigParser.parse(root);
        var dagster = environment == null ? Optional.<DagsterConfig>empty()
                : KubernetesAppsConfigParser.dagster(root, environment, cloudSql, rds, local);
        var observability = environment == null ? Optional.<ObservabilityConfig>empty()
                : KubernetesAppsConfigParser.observability(root, environment, cloudSql, local);
        var pgstac = environment == null ? Optional.<PgstacConfig>empty() : PgstacConfigParser.parse(root, cloudSql);
        var logicalBackups = environment == null ? Optional.<LogicalBackupConfig>empty()
                : LogicalBackupConfigParser.parse(root, environment, cloudSql);
        var icebergCatalog = environment == null ? Optional.<IcebergCatalogConfig>empty()
                : IcebergCatalogConfigParser.parse(root, cloudSql, rds, buckets, local);
        var alerts = environment == null ? Optional.<AlertsConfig>empty()
                : AlertsConfigParser.parse(root, environment, cloudSql, rds);
        var placed = environment == null ? ClustersConfig.NONE
                : ClustersConfigParser.resolve(root, clusters, disabledDefaultProviders);
        // The EKS identity (account, OIDC issuer) of IRSA workloads is their cluster's: one place, data-platform:clusters.
        if (rds.isPresent() && rds.get().logicalBackups() != null) {
            var parsed = rds.get();
            rds = Optional.of(parsed.withLogicalBackups(RdsLogicalBackupConfigParser.withIdentity(root,
                    Optional.of(parsed.logicalBackups()), placed).orElse(null)));
        }
        tenants = tenants.flatMap(t -> TenantsConfigParser.withIdentity(root, t, placed));
        icebergCatalog = icebergCatalog.flatMap(i -> IcebergCatalogConfigParser.withIdentity(root, i, placed));
        if (environment == null) {
            root.object("alerts");
            root.object("pgstacMigration");
            root.object("logicalBackups");
            root.string("pgstacVersion");
            root.object("cloudSql");
            root.object("rds");
            root.object("buckets");
            root.object("tenants");
            root.object("dagster");
            root.object("observability");
            root.object("icebergCatalog");
            root.object("local");
        }
        root.finish();
        context.throwIfErrors();
        return new PlatformConfig(source.stack(), environment, profile, labels, cloudSql, rds, buckets, tenants,
                dagster, observability, context.missingSecrets(), pgstac, logicalBackups, icebergCatalog, alerts, placed,
                Set.copyOf(disabledDefaultProviders), local);
    }

    private static EnvironmentProfile profile(ConfigNode root, Environment environment) {
        var defaults = EnvironmentProfile.defaults(environment);
        var node = root.object("profile");
        if (node.isEmpty()) {
            return defaults;
        }
        var p = node.get();
        boolean protect = p.bool("protect").orElse(defaults.protect());
        boolean deletionProtection = p.bool("deletionProtection").orElse(defaults.deletionProtection());
        boolean highAvailability = p.bool("highAvailability").orElse(defaults.highAvailability());
        int minimumRetention = EnvironmentProfile.minimumBackupRetentionDays(environment);
        int retention = p.integer("backupRetentionDays", minimumRetention, 35).orElse(defaults.backupRetentionDays());
        boolean pitr = p.bool("pointInTimeRecovery").orElse(defaults.pointInTimeRecovery());
        if (environment.holdsDurableData()) {
            if (!protect) {
                p.error("protect", "false is allowed only in dev: " + environment.id() + " data must survive a mistaken update");
            }
            if (!deletionProtection) {
                p.error("deletionProtection", "false is allowed only in dev: " + environment.id() + " data must survive a mistaken delete");
            }
            if (!pitr) {
                p.error("pointInTimeRecovery", "false is allowed only in dev: " + environment.id() + " needs point-in-time recovery");
            }
        }
        if (environment == Environment.PROD && !highAvailability) {
            p.error("highAvailability", "false is not allowed in prod: prod databases are regional / Multi-AZ");
        }
        p.finish();
        return new EnvironmentProfile(protect, deletionProtection, highAvailability, retention, pitr);
    }

    private static Map<String, String> labels(ConfigNode root, Environment environment) {
        var given = root.stringMap("labels", LABEL_KEY, LABEL_KEY_RULE, LABEL_VALUE, LABEL_VALUE_RULE);
        var labels = new TreeMap<String, String>();
        given.forEach((key, value) -> {
            if (RESERVED_LABELS.contains(key)) {
                root.error("labels." + key, "is set by the program; remove it (reserved: "
                        + String.join(", ", new TreeSet<>(RESERVED_LABELS)) + ")");
            } else {
                labels.put(key, value);
            }
        });
        if (environment != null) {
            labels.put("environment", environment.id());
        }
        labels.put("managed-by", "pulumi");
        return Map.copyOf(labels);
    }

    /** A value under a secret-named key must be given with --secret, at any depth. */
    private static void plainSecrets(String path, Object value, ConfigNode.Context context) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> plainSecrets(path + "." + k, v, context));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                plainSecrets(path + "[" + i + "]", list.get(i), context);
            }
        } else if (value instanceof String s && !s.isEmpty()) {
            String key = path.substring(Math.max(path.lastIndexOf('.'), path.lastIndexOf(':')) + 1);
            if (SECRET_NAME.matcher(key).matches()) {
                context.error(path, "holds a secret in plain text; set it with "
                        + "`pulumi config set --secret --path '" + path + "' <value>`");
            }
        }
    }

    /**
     * Provider settings that take either a file path or the file's content: the content (a service-account
     * key, a kubeconfig) is a credential and must be set with --secret; a path is fine.
     */
    static final Set<String> CREDENTIAL_FILES = Set.of("gcp:credentials", "kubernetes:kubeconfig");

    private static void plainCredentialFile(String fullKey, Object value, ConfigNode.Context context) {
        if (CREDENTIAL_FILES.contains(fullKey) && value instanceof String text
                && (text.contains("\n") || text.trim().startsWith("{") || text.contains("private_key")
                || text.contains("client-key-data") || text.contains("token:"))) {
            context.error(fullKey, "holds credentials in plain text; pass a file path, or set the content with "
                    + "`pulumi config set --secret " + fullKey + " < file`");
        }
    }

    private static Map<String, Environment> environments() {
        var map = new LinkedHashMap<String, Environment>();
        for (Environment e : Environment.values()) {
            map.put(e.id(), e);
        }
        return map;
    }

    private static List<String> union(Set<String> set, String extra) {
        var list = new ArrayList<>(set);
        list.add(extra);
        return list;
    }
}
