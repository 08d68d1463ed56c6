package dev.dataplatform.config;

import dev.dataplatform.core.EnvironmentProfile;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.access.Names;
import dev.dataplatform.core.Environment;
import dev.dataplatform.gcp.CloudSqlDatabase;
import dev.dataplatform.gcp.CloudSqlRules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.dataplatform.config.ConfigNode.ANY;

/** Reads data-platform:cloudSql. Rules are the component's own ({@link CloudSqlRules}), reported with key paths. */
final class CloudSqlConfigParser {
    static final Pattern FLAG_NAME = Pattern.compile("[a-z][a-z0-9_.]{0,62}");
    /** Secret Manager secret IDs (the API's rule for secretId). */
    static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private CloudSqlConfigParser() {
    }

    static Optional<CloudSqlConfig> parse(ConfigNode root, Environment environment, EnvironmentProfile profile) {
        var found = root.object("cloudSql");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var project = node.requireString("project", "a GCP project ID", CloudSqlRules::project);
        var region = Regions.check(node, "region",
                node.requireString("region", "a GCP region such as europe-west1", CloudSqlRules::region), Regions.GCP);
        var network = node.requireString("privateNetwork", "projects/<project>/global/networks/<network> (there is no public IP)", CloudSqlRules::privateNetwork);
        var instanceName = node.checked("instanceName", Optional.of(node.string("instanceName")
                .orElse("data-platform-" + environment.id())), CloudSqlRules::instanceName);
        var version = node.checked("databaseVersion", Optional.of(node.string("databaseVersion").orElse("POSTGRES_15")),
                CloudSqlRules::databaseVersion);
        var tier = node.checked("tier", Optional.of(node.string("tier").orElse(CloudSqlRules.defaultTier(environment))), CloudSqlRules::tier);
        tier.filter(t -> CloudSqlRules.sharedCore(t) && environment.holdsDurableData()).ifPresent(t ->
                node.error("tier", "'" + t + "' is shared-core (no SLA): allowed only in dev; use db-custom-<vCPUs>-<MiB>"));
        var edition = node.oneOf("edition", Map.of("ENTERPRISE", "ENTERPRISE", "ENTERPRISE_PLUS", "ENTERPRISE_PLUS"))
                .orElse("ENTERPRISE");
        int diskSize = node.integer("diskSizeGb", 10, 65536).orElse(20);
        int limit = node.integer("diskAutoresizeLimitGb", 10, 65536).orElse(CloudSqlRules.defaultAutoresizeLimitGb(environment));
        if (limit < diskSize) {
            node.error("diskAutoresizeLimitGb", limit + " is below diskSizeGb (" + diskSize + "); allowed: " + diskSize + " to 65536");
        }
        // Days of transaction logs (PITR): the API needs fewer than the backups kept (profile.backupRetentionDays).
        Integer logDays = node.integer("transactionLogRetentionDays", 1, CloudSqlRules.maxTransactionLogRetentionDays(edition))
                .orElse(null);
        if (logDays != null && profile != null) {
            CloudSqlRules.transactionLogRetention(profile.backupRetentionDays(), logDays, edition)
                    .ifPresent(problem -> node.error("transactionLogRetentionDays", problem));
        }
        var backupStart = node.checked("backupStartTime", Optional.of(node.string("backupStartTime").orElse("02:00")),
                CloudSqlRules::time);
        int day = 7;
        int hour = 3;
        var window = node.object("maintenanceWindow");
        if (window.isPresent()) {
            day = window.get().integer("day", 1, 7).orElse(day);
            hour = window.get().integer("hour", 0, 23).orElse(hour);
            window.get().finish();
        }
        var flags = new LinkedHashMap<>(node.stringMap("flags", FLAG_NAME, "a Cloud SQL flag name such as log_min_duration_statement",
                ANY, "a non-empty value"));
        flags.forEach((flag, value) -> dev.dataplatform.core.PostgresSettings.check(dev.dataplatform.core.PostgresSettings.Service.CLOUD_SQL,
                flag, value).ifPresent(problem -> node.error("flags." + flag, problem)));
        if ("off".equalsIgnoreCase(flags.get(CloudSqlDatabase.IAM_AUTHENTICATION_FLAG))) {
            node.error("flags." + CloudSqlDatabase.IAM_AUTHENTICATION_FLAG, "cannot be off: workloads log in with IAM");
        }
        List<DatabaseModel> databases = databases(node);
        checkServer(node, databases, true);
        if (node.has("workload")) {
            node.object("workload"); // read: reported here, not as an unknown key
            node.error("workload", "was replaced by cloudSql.workloads (one identity per workload): give each workload "
                    + "(dagster, marquez, pgstac-migrator, ...) its own entry {serviceAccountId, namespace, kubernetesServiceAccount, "
                    + "databases}; the workload that keeps the former service account sets adoptsSharedWorkload: true "
                    + "(docs/operations.md \"One identity per workload\")");
        }
        var workloads = workloads(node, project.orElse(null), databases);
        if (!databases.isEmpty() && workloads.isEmpty() && !node.has("workloads") && !node.has("workload")) {
            node.error("workloads", "is required with databases: the workloads that use them, each with its own service account");
        }
        // The admin password: a Secret Manager secret read only during `pulumi up` (previews need no
        // secret value), or, the older way, a secure config value (every preview decrypts it).
        var adminPasswordSecretId = node.string("adminPasswordSecretId", SECRET_ID,
                "a Secret Manager secret ID in cloudSql.project (letters, digits, '-' and '_', at most 255)");
        SecretValue adminPassword = null;
        if (node.has("adminPassword") && node.has("adminPasswordSecretId")) {
            node.error("adminPassword", "set either adminPassword or adminPasswordSecretId, not both "
                    + "(adminPasswordSecretId keeps the password out of previews)");
            node.secret("adminPassword"); // and never in plain text either
        } else if (!databases.isEmpty() && !node.has("adminPasswordSecretId")) {
            adminPassword = node.requireSecret("adminPassword").orElse(null);
        } else if (node.has("adminPassword")) {
            node.secret("adminPassword"); // checked (never plain text), unused without databases
        }
        node.finish();
        if (project.isEmpty() || region.isEmpty() || network.isEmpty() || instanceName.isEmpty() || version.isEmpty()
                || tier.isEmpty() || backupStart.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CloudSqlConfig(project.get(), region.get(), network.get(), instanceName.get(), version.get(),
                tier.get(), edition, diskSize, limit, logDays, backupStart.get(), day, hour, Map.copyOf(flags), adminPassword,
                adminPasswordSecretId.orElse(null), List.copyOf(databases), workloads));
    }

    /**
     * One entry of a databases list (shared by Cloud SQL and RDS).
     *
     * @param withLogins whether named logins may be listed (RDS: they log in with IAM tokens; Cloud
     *                   SQL: password logins for software that cannot use IAM, such as Dagster's
     *                   instance or Marquez; a DBA sets the password, never Pulumi)
     */
    static Optional<DatabaseModel> database(ConfigNode node, boolean withLogins) {
        var name = node.requireDatabaseName("name");
        var schemas = node.strings("schemas", Names.IDENTIFIER, Names.IDENTIFIER_RULE);
        var extensions = node.strings("extensions", Names.IDENTIFIER, Names.IDENTIFIER_RULE);
        boolean pgstac = node.bool("pgstac").orElse(false);
        List<Login> logins = withLogins ? node.objects("logins", login -> {
            var loginName = login.requireRoleName("name");
            var access = login.requireOneOf("access", loginAccessLevels());
            return loginName.isPresent() && access.isPresent()
                    ? Optional.of(new Login(loginName.get(), access.get())) : Optional.empty();
        }) : List.of();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DatabaseModel(name.get(), schemas, extensions, pgstac, logins));
        } catch (IllegalArgumentException e) {
            node.error(null, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The {@code databases} list of a server, each name once: a second entry would declare a second
     * resource with the same name (the engine refuses duplicate URNs).
     */
    static List<DatabaseModel> databases(ConfigNode node) {
        List<DatabaseModel> databases = node.objects("databases", db -> database(db, true));
        var names = new java.util.HashSet<String>();
        var unique = new java.util.ArrayList<DatabaseModel>();
        for (DatabaseModel db : databases) {
            if (names.add(db.name())) {
                unique.add(db);
            } else {
                node.error("databases", "database '" + db.name() + "' is listed twice: one entry per database");
            }
        }
        return List.copyOf(unique);
    }

    /** A database's logins may also migrate pgSTAC (pgstac databases only). */
    static Map<String, Access> loginAccessLevels() {
        var levels = accessLevels();
        levels.put("migrator", Access.MIGRATOR);
        return levels;
    }

    /**
     * Rules across the databases of one server: a login that migrates pgSTAC has no writer or reader access
     * anywhere; on Cloud SQL every pgstac database has a migrator (the program runs its migration).
     */
    static void checkServer(ConfigNode node, List<DatabaseModel> databases, boolean needsMigrator) {
        boolean distinct = databases.stream().map(DatabaseModel::name).distinct().count() == databases.size();
        try {
            if (distinct) { // a repeated database is reported on its own
                new dev.dataplatform.access.AccessModel(databases);
            }
        } catch (IllegalArgumentException e) {
            node.error("databases", e.getMessage());
        }
        if (needsMigrator) {
            databases.stream().filter(db -> db.pgstac() && db.migrators().isEmpty()).forEach(db -> node.error("databases",
                    "database '" + db.name() + "' has pgstac: true but no login with access: migrator; allowed: one login "
                            + "(no writer or reader access anywhere) that runs pgSTAC's migration"));
        }
    }

    static Map<String, Access> accessLevels() {
        var levels = new LinkedHashMap<String, Access>();
        levels.put("owner", Access.OWNER);
        levels.put("writer", Access.WRITER);
        levels.put("reader", Access.READER);
        return levels;
    }

    /**
     * Google service account IDs the program's own components create in the Cloud SQL project (Polaris, the logical
     * backups and their restore drill): a workload naming one would share that identity.
     */
    static final Map<String, String> RESERVED_ACCOUNT_IDS = Map.of(
            dev.dataplatform.iceberg.IcebergCatalog.GOOGLE_ACCOUNT_ID, "Polaris (data-platform:icebergCatalog)",
            dev.dataplatform.backup.LogicalBackup.BACKUP_SERVICE_ACCOUNT, "the logical backups (data-platform:logicalBackups)",
            dev.dataplatform.backup.LogicalBackup.DRILL_SERVICE_ACCOUNT, "the restore drill (data-platform:logicalBackups.restoreDrill)");

    /** cloudSql.workloads: one entry per workload, each with an identity of its own. */
    private static List<CloudSqlDatabase.Workload> workloads(ConfigNode node, String project, List<DatabaseModel> databases) {
        var result = new java.util.ArrayList<CloudSqlDatabase.Workload>();
        var accounts = new java.util.HashMap<String, String>();
        var subjects = new java.util.HashMap<String, String>();
        var adopting = new java.util.ArrayList<String>();
        var clusters = new java.util.LinkedHashMap<String, ConfigNode>();
        var names = databases.stream().map(DatabaseModel::name).toList();
        node.namedObjects("workloads", "<workload>").forEach((name, w) -> {
            var nameProblem = CloudSqlRules.kubernetesName(name);
            nameProblem.ifPresent(p -> w.error(null, "workload name " + p));
            var workload = workload(w, project, names);
            workload.ifPresent(x -> {
                String other = accounts.putIfAbsent(x.serviceAccountId(), name);
                if (other != null) {
                    w.error("serviceAccountId", "'" + x.serviceAccountId() + "' is also cloudSql.workloads." + other
                            + "'s: each workload needs a Google service account of its own; allowed: an ID no other workload uses");
                }
                String reserved = RESERVED_ACCOUNT_IDS.get(x.serviceAccountId());
                if (reserved != null) {
                    w.error("serviceAccountId", "'" + x.serviceAccountId() + "' is the service account of " + reserved
                            + ": each workload needs one of its own");
                }
                String subject = x.namespace() + "/" + x.kubernetesServiceAccount();
                other = subjects.putIfAbsent(subject, name);
                if (other != null) {
                    w.error("kubernetesServiceAccount", subject + " is also cloudSql.workloads." + other
                            + "'s: a Kubernetes ServiceAccount acts as one Google service account");
                }
                if (x.adoptsSharedWorkload()) {
                    adopting.add(name);
                }
                if (x.createKubernetesResources()) {
                    clusters.put(name, w);
                }
            });
            w.finish();
            if (nameProblem.isEmpty()) {
                workload.map(x -> new CloudSqlDatabase.Workload(name, x.serviceAccountId(), null, x.databases(), x.namespace(),
                        x.kubernetesServiceAccount(), x.createKubernetesResources(), x.adoptsSharedWorkload())).ifPresent(result::add);
            }
        });
        if (adopting.size() > 1) {
            node.error("workloads", "adoptsSharedWorkload is set on " + String.join(", ", adopting)
                    + "; allowed: one workload (the one that keeps the former shared service account)");
        }
        // The component is placed on one cluster: the workloads that create Kubernetes resources name the same one.
        var placed = clusters.entrySet().stream().map(e -> e.getValue().string("cluster").orElse("")).distinct().toList();
        if (placed.size() > 1) {
            node.error("workloads", "workloads with createKubernetesResources name different clusters " + placed
                    + "; allowed: one cluster for all of them");
        }
        clusters.values().stream().findFirst().ifPresent(w -> ClustersConfigParser.place(w, ClustersConfig.Component.CLOUD_SQL_WORKLOAD,
                dev.dataplatform.kubernetes.Cluster.Identity.GKE_WORKLOAD_IDENTITY, true));
        return List.copyOf(result);
    }

    private static Optional<CloudSqlDatabase.Workload> workload(ConfigNode node, String project, List<String> databases) {
        var account = node.requireString("serviceAccountId", "a Google service account ID (6-30 characters)", CloudSqlRules::accountId);
        if (project != null) {
            // The workload logs in as the IAM database user <account>@<project>.iam: a role name like any other.
            account = node.checked("serviceAccountId", account, a -> Names.roleNameProblem(
                    CloudSqlDatabase.iamUserName(CloudSqlDatabase.serviceAccountEmail(a, project)))
                    .map(p -> "gives the IAM database user " + p));
        }
        var access = new java.util.TreeMap<String, Access>();
        var levels = accessLevels();
        node.stringMap("databases", Names.IDENTIFIER, "a database of cloudSql.databases", ANY, "owner, writer or reader")
                .forEach((db, level) -> {
                    if (!databases.contains(db)) {
                        node.error("databases." + db, "'" + db + "' is not a database of cloudSql.databases; allowed: "
                                + String.join(", ", databases));
                    } else if (!levels.containsKey(level)) {
                        node.error("databases." + db, "'" + level + "' is not valid; allowed: " + String.join(", ", levels.keySet()));
                    } else {
                        access.put(db, levels.get(level));
                    }
                });
        var namespace = node.requireString("namespace", "a Kubernetes namespace", CloudSqlRules::kubernetesName);
        var ksa = node.requireString("kubernetesServiceAccount", "a Kubernetes ServiceAccount name", CloudSqlRules::kubernetesName);
        boolean create = node.bool("createKubernetesResources").orElse(false);
        boolean adopts = node.bool("adoptsSharedWorkload").orElse(false);
        node.string("cluster"); // the placement, read with createKubernetesResources (see workloads)
        if (account.isEmpty() || namespace.isEmpty() || ksa.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CloudSqlDatabase.Workload("w", account.get(), null, access, namespace.get(), ksa.get(), create, adopts));
    }
}
