package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.PgstacMigration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** data-platform:pgstacVersion and data-platform:pgstacMigration, checked against the Cloud SQL databases. */
final class PgstacConfigParser {
    static final Pattern STORE = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    static final Pattern REMOTE_KEY = Pattern.compile("[A-Za-z0-9_./-]{1,256}");

    private PgstacConfigParser() {
    }

    static Optional<PgstacConfig> parse(ConfigNode root, Optional<CloudSqlConfig> cloudSql) {
        var versions = new LinkedHashMap<String, String>();
        PgstacMigration.VERSIONS.forEach(v -> versions.put(v, v));
        String version = root.oneOf("pgstacVersion", versions).orElse(PgstacMigration.DEFAULT_VERSION);
        List<String> pgstacDatabases = cloudSql.map(c -> c.databases().stream().filter(DatabaseModel::pgstac)
                .map(DatabaseModel::name).toList()).orElse(List.of());
        var node = root.object("pgstacMigration");
        if (node.isEmpty()) {
            if (!pgstacDatabases.isEmpty()) {
                root.error("pgstacMigration", "is required: the Cloud SQL pgSTAC database(s) " + String.join(", ", pgstacDatabases)
                        + " are migrated by a Job that logs in as their migrator login with a password External Secrets "
                        + "reads; allowed: {passwordStore: <ClusterSecretStore>, passwordKey: <remote key>}");
            }
            return Optional.of(new PgstacConfig(version, null, null));
        }
        var m = node.get();
        var store = m.requireString("passwordStore", STORE, "a ClusterSecretStore name");
        var key = m.requireString("passwordKey", REMOTE_KEY, "the password's key in that store");
        ClustersConfigParser.place(m, ClustersConfig.Component.PGSTAC_MIGRATION, dev.dataplatform.kubernetes.Cluster.Identity.GKE_WORKLOAD_IDENTITY,
                !pgstacDatabases.isEmpty());
        m.finish();
        if (pgstacDatabases.isEmpty()) {
            if (root.context().failed("data-platform:cloudSql")) {
                return Optional.empty(); // the Cloud SQL section's own errors say what is wrong
            }
            root.error("pgstacMigration", "has nothing to migrate: no data-platform:cloudSql database has pgstac: true");
            return Optional.empty();
        }
        // The Job's proxy runs as the migrator's own Google service account, bound to exactly the Job's ServiceAccount.
        var identity = cloudSql.flatMap(c -> c.workload(CloudSqlConfig.PGSTAC_MIGRATOR));
        String subject = "namespace: " + PgstacMigration.NAMESPACE + ", kubernetesServiceAccount: " + PgstacMigration.SERVICE_ACCOUNT;
        if (identity.isEmpty()) {
            if (!root.context().failed("data-platform:cloudSql")) {
                root.error("pgstacMigration", "the migration Job reaches Cloud SQL through the Auth Proxy with a Google service "
                        + "account of its own: configure data-platform:cloudSql.workloads." + CloudSqlConfig.PGSTAC_MIGRATOR
                        + " {serviceAccountId, " + subject + "}");
            }
            return Optional.empty();
        }
        if (!identity.get().namespace().equals(PgstacMigration.NAMESPACE)
                || !identity.get().kubernetesServiceAccount().equals(PgstacMigration.SERVICE_ACCOUNT)) {
            root.error("pgstacMigration", "the migration Job runs as ServiceAccount " + PgstacMigration.NAMESPACE + "/"
                    + PgstacMigration.SERVICE_ACCOUNT + " but cloudSql.workloads." + CloudSqlConfig.PGSTAC_MIGRATOR + " names "
                    + identity.get().namespace() + "/" + identity.get().kubernetesServiceAccount() + "; allowed: " + subject);
            return Optional.empty();
        }
        if (store.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PgstacConfig(version, store.get(), key.get()));
    }
}
