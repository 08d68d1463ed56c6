package dev.dataplatform.config;

import dev.dataplatform.kubernetes.Cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * data-platform:clusters, the Kubernetes clusters of a stack, and where each component that creates
 * Kubernetes resources is placed (its {@code cluster} key, or the stack's only cluster).
 *
 * @param clusters   by name, in the stack file's order
 * @param placements each placed component's cluster name
 */
public record ClustersConfig(Map<String, ClusterConfig> clusters, Map<Component, String> placements) {

    /**
     * One cluster; {@code kubeconfig} (kind kubeconfig only) is a secret, or null for the deployer's own kubeconfig file.
     *
     * @param adoptsDefaultProvider its provider takes over the resources a deployment made through the engine's
     *                              default Kubernetes provider (an alias to it), instead of replacing them
     */
    public record ClusterConfig(String name, Cluster.Kind kind, Cluster.Gke gke, Cluster.Eks eks, String context,
                                SecretValue kubeconfig, boolean adoptsDefaultProvider) {
        public Cluster.Identity identity() {
            return Cluster.identityOf(kind);
        }
    }

    /** The components that create Kubernetes resources, by the key path of their config block. */
    public enum Component {
        CLOUD_SQL_WORKLOAD("cloudSql.workloads"),
        DAGSTER("dagster"),
        OBSERVABILITY("observability"),
        ICEBERG_CATALOG("icebergCatalog"),
        TENANTS("tenants"),
        LOGICAL_BACKUPS("logicalBackups"),
        RDS_LOGICAL_BACKUPS("rds.logicalBackups"),
        PGSTAC_MIGRATION("pgstacMigration"),
        LOCAL("local");

        private final String key;

        Component(String key) {
            this.key = key;
        }

        /** The config block, e.g. {@code rds.logicalBackups}; its placement key is {@code <key>.cluster}. */
        public String key() {
            return key;
        }
    }

    public static final ClustersConfig NONE = new ClustersConfig(Map.of(), Map.of());

    /** The cluster a component is placed on (the parser resolved every placed component). */
    public ClusterConfig of(Component component) {
        String name = placements.get(component);
        if (name == null || !clusters.containsKey(name)) {
            throw new IllegalStateException(component.key() + " is not placed on a cluster");
        }
        return clusters.get(name);
    }

    public Optional<ClusterConfig> placed(Component component) {
        return Optional.ofNullable(placements.get(component)).map(clusters::get);
    }

    public List<ClusterConfig> all() {
        return List.copyOf(clusters.values());
    }
}
