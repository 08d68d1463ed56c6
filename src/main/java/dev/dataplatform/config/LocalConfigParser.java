package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.core.Rules;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * data-platform:local, and what a local stack may not use: it runs without a cloud account, so every block that
 * declares a cloud resource (and any gcp:/aws: provider setting) is refused, with the local alternative named.
 */
final class LocalConfigParser {
    static final String KEY = "local";
    static final String DEFAULT_NAMESPACE = "data-local";
    /** kind's default pod subnet (kind: pkg/apis/config/v1alpha4/default.go, podSubnet). */
    static final String DEFAULT_POD_CIDR = "10.244.0.0/16";
    /** Blocks that declare cloud resources: refused in a local stack. */
    static final List<String> CLOUD_BLOCKS = List.of("cloudSql", "rds", "buckets", "tenants", "logicalBackups",
            "pgstacMigration", "alerts");
    /** Provider namespaces of the clouds: refused in a local stack. */
    static final Set<String> CLOUD_NAMESPACES = Set.of("gcp", "aws");

    private LocalConfigParser() {
    }

    static Optional<LocalConfig> parse(ConfigNode root) {
        var found = root.object(KEY);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        for (String block : CLOUD_BLOCKS) {
            if (root.has(block)) {
                root.error(block, "declares cloud resources, but this is a local stack (data-platform:local): it runs "
                        + "without a cloud account; remove it (local: PostgreSQL databases in local.databases, the "
                        + "raw/curated/warehouse buckets on MinIO, the Iceberg catalog with icebergCatalog.database.server: local)");
            }
        }
        String namespace = node.string("namespace", Rules::dnsLabel).orElse(DEFAULT_NAMESPACE);
        String podCidr = node.string("podCidr", Rules::privateIpv4Cidr)
                .orElse(DEFAULT_POD_CIDR);
        int postgresStorage = node.integer("postgresStorageGiB", 1, 100).orElse(5);
        int minioStorage = node.integer("minioStorageGiB", 1, 200).orElse(10);
        List<DatabaseModel> databases = CloudSqlConfigParser.databases(node);
        CloudSqlConfigParser.checkServer(node, databases, false);
        ClustersConfigParser.place(node, ClustersConfig.Component.LOCAL, dev.dataplatform.kubernetes.Cluster.Identity.NONE, true);
        node.finish();
        return Optional.of(new LocalConfig(namespace, podCidr, postgresStorage, minioStorage, databases));
    }

    /** A gcp:/aws: provider key in a stack that runs locally. */
    static void cloudProviderKey(String fullKey, ConfigNode.Context context) {
        context.error(fullKey, "configures a cloud provider, but this is a local stack (data-platform:local): it runs "
                + "without a cloud account; remove it");
    }
}
