package dev.dataplatform.config;

import dev.dataplatform.access.Access;
import dev.dataplatform.access.Names;
import dev.dataplatform.core.Environment;
import dev.dataplatform.kubernetes.crd.Keda;
import dev.dataplatform.stackgres.StackGresTenant;
import dev.dataplatform.stackgres.StackGresTenant.BackupTarget;
import dev.dataplatform.stackgres.TenantPooling;
import dev.dataplatform.stackgres.TenantRules;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.dataplatform.config.ConfigNode.ANY;

/** Reads data-platform:tenants with the component's rules, reported with key paths. */
final class TenantsConfigParser {
    static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,62}");
    static final String METADATA_KEY_RULE = "a KEDA trigger metadata key such as queueURL or serverAddress";

    private TenantsConfigParser() {
    }

    static Optional<TenantsConfig> parse(ConfigNode root, Environment environment) {
        var found = root.object("tenants");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var aws = aws(node);
        String operator = node.string("operatorNamespace", TenantRules::namespace)
                .orElse("stackgres");
        String monitoring = node.string("monitoringNamespace", TenantRules::namespace)
                .orElse("monitoring");
        String keda = node.string("kedaNamespace", TenantRules::namespace)
                .orElse("keda");
        String version = node.string("postgresVersion", TenantRules::postgresVersion)
                .orElse("16");
        var backups = backups(node, environment);
        if (backups.isEmpty() && !node.has("backups") && environment.holdsDurableData()) {
            node.error("backups", "is required in " + environment.id() + ": tenant databases there must be restorable");
        }
        var names = new HashSet<String>();
        var clients = node.objects("clients", client -> client(client, environment, names));
        if (!node.has("clients")) {
            node.error("clients", "is required: a list of clients, each at least {name: <client>}");
        }
        ClustersConfigParser.place(node, ClustersConfig.Component.TENANTS, dev.dataplatform.kubernetes.Cluster.Identity.EKS_IRSA, true);
        node.finish();
        if (node.has("aws") && aws.isEmpty()) {
            return Optional.empty();
        }
        // Without tenants.aws the identity is the cluster's (filled in once the placement is resolved).
        return Optional.of(new TenantsConfig(aws.orElse(null), operator, monitoring, keda, version, backups.orElse(null), clients));
    }

    /**
     * The tenants' IRSA identity is the EKS cluster's they are placed on (Parameter Store in its region); a
     * {@code tenants.aws} block of its own (older stack files) must name that same cluster.
     */
    static Optional<TenantsConfig> withIdentity(ConfigNode root, TenantsConfig tenants, ClustersConfig clusters) {
        var cluster = clusters.placed(ClustersConfig.Component.TENANTS).filter(c -> c.eks() != null);
        if (cluster.isEmpty()) {
            return Optional.empty(); // the placement's own error says why
        }
        var eks = cluster.get().eks();
        var given = tenants.aws();
        if (given != null && (!given.accountId().equals(eks.accountId()) || !given.oidcProvider().equals(eks.oidcProvider()))) {
            root.error("tenants.aws", "names another identity than cluster '" + cluster.get().name() + "' (account "
                    + eks.accountId() + ", issuer " + eks.oidcProvider() + ") the tenants run on; allowed: remove it (the "
                    + "IRSA identity comes from the cluster)");
            return Optional.empty();
        }
        return Optional.of(tenants.withAws(given != null ? given
                : new StackGresTenant.AwsIdentity(eks.accountId(), eks.region(), eks.oidcProvider())));
    }

    private static Optional<StackGresTenant.AwsIdentity> aws(ConfigNode node) {
        var found = node.object("aws");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var aws = found.get();
        var account = aws.requireString("accountId", "a 12-digit AWS account ID", TenantRules::awsAccountId);
        var region = Regions.check(aws, "region", aws.requireString("region", "an AWS region", TenantRules::awsRegion),
                Regions.AWS);
        var oidc = aws.requireString("oidcProvider", "the cluster's OIDC issuer", TenantRules::oidcProvider);
        aws.finish();
        if (account.isEmpty() || region.isEmpty() || oidc.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StackGresTenant.AwsIdentity(account.get(), region.get(), oidc.get()));
    }

    private static Optional<BackupTarget> backups(ConfigNode node, Environment environment) {
        var found = node.object("backups");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var b = found.get();
        var bucket = b.requireString("bucket", "the backup bucket", TenantRules::bucket);
        var endpoint = b.requireString("endpoint", "the S3-compatible endpoint", TenantRules::httpsEndpoint);
        var credentials = b.requireString("credentialsParameter", "the SSM path holding access-key-id and secret-access-key", TenantRules::ssmPath);
        String cron = b.string("cronSchedule", TenantRules::cronSchedule).orElse(BackupTarget.DEFAULT_CRON);
        int retention = b.integer("retention", 1, 365).orElse(BackupTarget.defaultRetention(environment));
        b.finish();
        if (bucket.isEmpty() || endpoint.isEmpty() || credentials.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BackupTarget(bucket.get(), endpoint.get(), credentials.get(), cron, retention));
    }

    private static Optional<TenantsConfig.Client> client(ConfigNode c, Environment environment, HashSet<String> names) {
        var name = c.requireString("name", "the client's name", TenantRules::clientName);
        name.filter(n -> !names.add(n)).ifPresent(n -> c.error("name", "'" + n + "' is listed twice: one entry per client"));
        var appNamespace = c.string("appNamespace", TenantRules::namespace).orElse(null);
        var database = c.databaseName("database").orElse(null);
        if (!c.has("database")) {
            // The default database is the client's name with '-' as '_': its group roles are role names too.
            name.flatMap(n -> dev.dataplatform.access.Names.databaseProblem(n.replace('-', '_')))
                    .ifPresent(p -> c.error("name", "names the database '" + name.get().replace('-', '_') + "', which " + p
                            + "; allowed: another name, or set database"));
        }
        var extensions = c.checkedStrings("extensions", TenantRules::shippedExtension);
        var access = c.oneOf("appAccess", CloudSqlConfigParser.accessLevels()).orElse(Access.WRITER);
        var defaults = StackGresTenant.Size.defaults(environment);
        int instances = c.integer("instances", 1, 9).orElse(defaults.instances());
        String cpu = c.string("cpu", TenantRules::cpu).orElse(defaults.cpu());
        int memory = c.integer("memoryGiB", 1, 512).orElse(defaults.memoryGiB());
        int storage = c.integer("storageGiB", 1, 16384).orElse(defaults.storageGiB());
        var storageClass = c.string("storageClass", TenantRules::storageClass).orElse(null);
        if (environment == Environment.PROD && instances < 2) {
            c.error("instances", instances + " is not allowed in prod: a tenant there needs a replica to fail over to");
        }
        StackGresTenant.Citus citus = c.object("citus").map(ci -> {
            int shards = ci.integer("shards", 1, 64).orElse(2);
            int perShard = ci.integer("instancesPerShard", 1, 9).orElse(instances);
            ci.finish();
            return new StackGresTenant.Citus(shards, perShard);
        }).orElse(null);
        if (citus != null) {
            TenantRules.citusInstances(instances).ifPresent(problem -> c.error("citus", problem));
        }
        StackGresTenant.Scaling scaling = c.object("scaling").flatMap(TenantsConfigParser::scaling).orElse(null);
        boolean decommission = c.bool("decommission").orElse(false);
        boolean pgstac = c.bool("pgstac").orElse(false);
        if (pgstac && citus != null) {
            c.error("pgstac", "cannot be combined with citus: pgSTAC's migration runs on one PostgreSQL; allowed: "
                    + "pgstac: true without citus, or citus without pgstac");
        }
        var pooling = c.object("pooling").map(po -> pooling(po, citus, pgstac)).orElse(TenantPooling.Overrides.NONE);
        boolean createAppNamespace = c.bool("createAppNamespace").orElse(false);
        if (createAppNamespace && name.isPresent() && ("tenant-" + name.get()).equals(appNamespace)) {
            c.error("appNamespace", "'" + appNamespace + "' is the tenant's own namespace: give the application its own");
        }
        if (database != null && (database.startsWith("pg_") || List.of("postgres", "template0", "template1").contains(database))) {
            c.error("database", "'" + database + "' is reserved");
        }
        return name.map(n -> new TenantsConfig.Client(n, appNamespace, database, extensions, access,
                new StackGresTenant.Size(instances, cpu, memory, storage), storageClass, citus, scaling, decommission, pgstac,
                createAppNamespace, pooling));
    }

    /** PgBouncer overrides; ranges depend on Citus (the coordinator's connection limit), see TenantPooling. */
    private static TenantPooling.Overrides pooling(ConfigNode p, StackGresTenant.Citus citus, boolean pgstac) {
        var modes = new java.util.LinkedHashMap<String, TenantPooling.PoolMode>();
        for (var mode : TenantPooling.PoolMode.values()) {
            modes.put(mode.wire, mode);
        }
        var mode = p.oneOf("poolMode", modes).orElse(null);
        Integer defaultPoolSize = p.integer("defaultPoolSize", 1, TenantPooling.MAX_SERVER_CONNECTIONS).orElse(null);
        Integer maxClient = p.integer("maxClientConnections", 1, TenantPooling.MAX_CLIENT_CONNECTIONS_LIMIT).orElse(null);
        Integer maxDb = p.integer("maxDbConnections", 1, TenantPooling.MAX_SERVER_CONNECTIONS).orElse(null);
        var parameters = p.stringMap("parameters", TenantPooling.PARAMETER_NAME, "a pgbouncer.ini parameter name (lower-case, '_')",
                ANY, "a string");
        p.finish();
        var overrides = new TenantPooling.Overrides(mode, defaultPoolSize, maxClient, maxDb, parameters);
        TenantPooling.problems(citus == null ? null : citus.shards(), pgstac, overrides).forEach(p::error);
        return overrides;
    }

    private static Optional<StackGresTenant.Scaling> scaling(ConfigNode s) {
        var deployment = s.requireString("deployment", "the client's Deployment name", TenantRules::namespace);
        int max = s.integer("maxReplicas", 1, 100).orElse(3);
        int cooldown = s.integer("cooldownSeconds", 0, 86400).orElse(300);
        List<Keda.Trigger> triggers = s.objects("triggers", t -> {
            var type = t.requireString("type", "a KEDA scaler type", TenantRules::triggerType);
            var metadata = t.stringMap("metadata", METADATA_KEY, METADATA_KEY_RULE, ANY, "a string");
            type.flatMap(ty -> TenantRules.triggerIdentity(ty, metadata)).ifPresent(problem -> t.error("metadata", problem));
            return type.map(ty -> new Keda.Trigger(ty, metadata));
        });
        TenantRules.scalesToZero(triggers.stream().map(Keda.Trigger::type).toList())
                .ifPresent(problem -> s.error("triggers", problem));
        s.finish();
        return deployment.map(d -> new StackGresTenant.Scaling(d, max, cooldown, triggers));
    }
}
