package dev.dataplatform.config;

import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.access.Names;
import dev.dataplatform.core.Rules;
import dev.dataplatform.iceberg.IcebergCatalog;
import dev.dataplatform.iceberg.PolarisFacts;
import dev.dataplatform.stackgres.TenantRules;
import dev.dataplatform.storage.ObjectBuckets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * data-platform:icebergCatalog, checked against the stack's buckets (a warehouse is required) and its Cloud SQL or RDS
 * databases (the database must exist, the login must own it).
 */
final class IcebergCatalogConfigParser {
    private IcebergCatalogConfigParser() {
    }

    static Optional<IcebergCatalogConfig> parse(ConfigNode root, Optional<CloudSqlConfig> cloudSql, Optional<RdsConfig> rds,
                                                Optional<BucketsConfig> buckets, Optional<LocalConfig> local) {
        var found = root.object("icebergCatalog");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        String namespace = node.string("namespace", Rules::dnsLabel).orElse("iceberg");
        var version = node.string("version", v -> PolarisFacts.SUPPORTED_VERSIONS.contains(v) ? Optional.empty()
                : Optional.of("'" + v + "' is not a supported Polaris release; allowed: "
                + String.join(", ", PolarisFacts.SUPPORTED_VERSIONS))).orElse(node.has("version") ? null : PolarisFacts.VERSION);
        String realm = node.string("realm", v -> Rules.matches(IcebergCatalog.REALM_PATTERN, v, IcebergCatalog.REALM_RULE))
                .orElse("data-platform");
        String catalog = node.string("catalogName", IcebergCatalog::catalogNameProblem).orElse("warehouse");
        var clients = node.checkedStrings("allowClientsFrom", Rules::dnsLabel);
        Integer replicas = node.integer("replicas", 1, 10).orElse(null);

        var servers = new LinkedHashMap<String, IcebergCatalog.Server>();
        servers.put("cloudSql", IcebergCatalog.Server.CLOUD_SQL);
        servers.put("rds", IcebergCatalog.Server.RDS);
        servers.put("local", IcebergCatalog.Server.LOCAL);
        IcebergCatalog.Server server = null;
        String name = null;
        String login = null;
        String store = null;
        String key = null;
        String cidr = null;
        boolean databaseOk = false;
        var dbNode = node.object("database");
        if (dbNode.isEmpty()) {
            node.error("database", "is required: {server: cloudSql|rds|local, name: <database>, login: <owner login>}");
        } else {
            var db = dbNode.get();
            server = db.requireOneOf("server", servers).orElse(null);
            name = db.requireString("name", Names.IDENTIFIER, Names.IDENTIFIER_RULE).orElse(null);
            login = db.requireRoleName("login").orElse(null);
            store = db.string("passwordStore", KubernetesAppsConfigParser.STORE, "a ClusterSecretStore name").orElse(null);
            key = db.string("passwordKey", KubernetesAppsConfigParser.REMOTE_KEY, "the password's key in that store").orElse(null);
            cidr = db.string("cidr", Rules::privateIpv4Cidr).orElse(null);
            if (server == IcebergCatalog.Server.CLOUD_SQL) {
                // The server first: "not configured" says more than the settings that follow from it.
                databaseOk = database(db, "cloudSql", cloudSql.map(CloudSqlConfig::databases), name, login);
                if (store == null || key == null) {
                    db.error("server", "cloudSql needs passwordStore and passwordKey: Polaris logs in through the Auth Proxy with "
                            + "a password login (a Cloud SQL IAM user is a writer and cannot create Polaris's schema)");
                    databaseOk = false;
                }
                if (cidr != null) {
                    db.error("cidr", "is not used with cloudSql: egress goes to the instance's private IP");
                    databaseOk = false;
                }
            } else if (server == IcebergCatalog.Server.LOCAL) {
                databaseOk = database(db, "local", local.map(LocalConfig::databases), name, login);
                if (store != null || key != null) {
                    db.error("passwordStore", "is not used with local: the password is generated in the cluster "
                            + "(data-platform:local); remove passwordStore and passwordKey");
                    databaseOk = false;
                }
                if (cidr != null) {
                    db.error("cidr", "is not used with local: egress goes to the cluster's pod range (data-platform:local.podCidr)");
                    databaseOk = false;
                }
                store = dev.dataplatform.local.LocalServices.CREDENTIALS_STORE;
                key = login == null ? null : dev.dataplatform.local.LocalServices.loginPasswordRef(login);
                cidr = local.map(LocalConfig::podCidr).orElse(null);
            } else if (server == IcebergCatalog.Server.RDS) {
                databaseOk = database(db, "rds", rds.map(RdsConfig::databases), name, login);
                if (store != null || key != null) {
                    db.error("server", "rds logins authenticate with IAM tokens only (rds_iam): remove passwordStore and passwordKey");
                    databaseOk = false;
                }
                if (cidr == null) {
                    db.error("cidr", "is required with rds: the VPC range egress to PostgreSQL may go to");
                    databaseOk = false;
                }
            }
            db.finish();
        }
        // Flat keys (not an object), so every stack reads them: IRSA needs the account and the cluster's OIDC issuer.
        String accountId = node.string("awsAccountId", TenantRules::awsAccountId).orElse(null);
        String oidc = node.string("oidcProvider", TenantRules::oidcProvider).orElse(null);
        if (server == IcebergCatalog.Server.CLOUD_SQL || server == IcebergCatalog.Server.LOCAL) {
            if (node.has("awsAccountId")) {
                node.error("awsAccountId", "is only used with database.server rds (IRSA roles on EKS)");
            }
            if (node.has("oidcProvider")) {
                node.error("oidcProvider", "is only used with database.server rds (IRSA roles on EKS)");
            }
        }
        // On rds without them, the IRSA identity is the EKS cluster's the catalog is placed on (see withIdentity).
        // On local: the laptop cluster (no cloud identity; MinIO's credentials come from the cluster).
        ClustersConfigParser.place(node, ClustersConfig.Component.ICEBERG_CATALOG, server == null ? null : switch (server) {
            case CLOUD_SQL -> dev.dataplatform.kubernetes.Cluster.Identity.GKE_WORKLOAD_IDENTITY;
            case RDS -> dev.dataplatform.kubernetes.Cluster.Identity.EKS_IRSA;
            case LOCAL -> dev.dataplatform.kubernetes.Cluster.Identity.NONE;
        }, true);
        node.finish();

        boolean warehouseOk = true;
        if (server == IcebergCatalog.Server.LOCAL) {
            // The warehouse is the local MinIO's bucket (data-platform:local has no buckets block to check).
            warehouseOk = local.isPresent();
        } else if (buckets.isEmpty() || !buckets.get().warehouse()) {
            if (!root.context().failed("data-platform:buckets")) {
                root.error("icebergCatalog", "needs a warehouse bucket: the catalog's base location is in it; allowed only with "
                        + "data-platform:buckets.warehouse: true");
            }
            warehouseOk = false;
        } else if (server != null && databaseOk) {
            // Only for an otherwise valid database: an error on "database" hides the ones below it.
            var cloud = buckets.get().cloud();
            boolean matches = server == IcebergCatalog.Server.RDS ? cloud == ObjectBuckets.Cloud.AWS : cloud == ObjectBuckets.Cloud.GCP;
            if (!matches) {
                node.error("database", "server " + (server == IcebergCatalog.Server.RDS ? "rds" : "cloudSql") + " with a "
                        + cloud.name().toLowerCase() + " warehouse is not supported: the pod has one cloud identity; allowed: "
                        + "cloudSql with buckets.cloud gcp, rds with buckets.cloud aws");
                warehouseOk = false;
            }
            // Polaris writes the key into vended credentials' IAM policies: an alias would authorize nothing.
            String kmsKey = buckets.get().kmsKeyId();
            if (matches && cloud == ObjectBuckets.Cloud.AWS && kmsKey != null && !IcebergCatalog.KMS_KEY_ARN.matcher(kmsKey).matches()) {
                root.error("buckets.kmsKeyId", "'" + kmsKey + "' cannot be given to the Iceberg catalog (data-platform:icebergCatalog); "
                        + "allowed: " + IcebergCatalog.KMS_KEY_RULE);
                warehouseOk = false;
            }
        }
        if (!databaseOk || !warehouseOk || version == null
                || (server == IcebergCatalog.Server.RDS && (node.has("awsAccountId") && accountId == null
                || node.has("oidcProvider") && oidc == null))) {
            return Optional.empty();
        }
        return Optional.of(new IcebergCatalogConfig(namespace, version, realm, catalog, List.copyOf(clients), server, name, login,
                store, key, cidr, accountId, oidc, replicas));
    }

    /**
     * On RDS the IRSA roles trust the EKS cluster the catalog is placed on: its account and issuer. Flat keys of its own
     * (older stack files) must name that same cluster.
     */
    static Optional<IcebergCatalogConfig> withIdentity(ConfigNode root, IcebergCatalogConfig config, ClustersConfig clusters) {
        if (config.server() != IcebergCatalog.Server.RDS) {
            return Optional.of(config);
        }
        var cluster = clusters.placed(ClustersConfig.Component.ICEBERG_CATALOG).filter(c -> c.eks() != null);
        if (cluster.isEmpty()) {
            return Optional.empty(); // the placement's own error says why
        }
        var eks = cluster.get().eks();
        for (var given : java.util.Map.of("awsAccountId", java.util.Objects.requireNonNullElse(config.awsAccountId(), eks.accountId()),
                "oidcProvider", java.util.Objects.requireNonNullElse(config.oidcProvider(), eks.oidcProvider())).entrySet()) {
            String expected = given.getKey().equals("awsAccountId") ? eks.accountId() : eks.oidcProvider();
            if (!given.getValue().equals(expected)) {
                root.error("icebergCatalog." + given.getKey(), "'" + given.getValue() + "' is not cluster '" + cluster.get().name()
                        + "''s (" + expected + "), where the catalog runs; allowed: remove it (the IRSA identity comes from the cluster)");
                return Optional.empty();
            }
        }
        return Optional.of(new IcebergCatalogConfig(config.namespace(), config.version(), config.realm(), config.catalogName(),
                config.allowClientsFrom(), config.server(), config.database(), config.login(), config.passwordStore(),
                config.passwordKey(), config.databaseCidr(), eks.accountId(), eks.oidcProvider(), config.replicas()));
    }

    /** The database must be one of the server's, and the login one of its owner logins. */
    private static boolean database(ConfigNode db, String server, Optional<List<DatabaseModel>> databases, String name, String login) {
        if (databases.isEmpty()) {
            if (!db.context().failed("data-platform:" + server)) {
                db.error("server", server + " is not configured in this stack (data-platform:" + server + ")");
            }
            return false;
        }
        if (name == null || login == null) {
            return false;
        }
        var found = databases.get().stream().filter(d -> d.name().equals(name)).findFirst();
        if (found.isEmpty()) {
            db.error("name", "'" + name + "' is not a database of data-platform:" + server + "; allowed: "
                    + String.join(", ", databases.get().stream().map(DatabaseModel::name).toList()));
            return false;
        }
        var match = found.get().logins().stream().filter(l -> l.name().equals(login)).findFirst();
        if (match.isEmpty() || match.get().access() != Access.OWNER) {
            db.error("login", "'" + login + "' must be a login of " + server + " database '" + name + "' with access owner "
                    + "(Polaris creates its schema polaris_schema); its owner logins: " + String.join(", ", found.get().logins()
                    .stream().filter(l -> l.access() == Access.OWNER).map(Login::name).toList()));
            return false;
        }
        return true;
    }
}
