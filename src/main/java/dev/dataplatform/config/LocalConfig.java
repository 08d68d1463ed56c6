package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;

import java.util.List;

/**
 * data-platform:local: the platform's stateful services inside the stack's (laptop) cluster instead of a cloud:
 * PostgreSQL with PostGIS as a StatefulSet, with the access model applied by an in-cluster Job, and MinIO for the
 * raw/curated/warehouse buckets. Credentials are generated in the cluster, never in config.
 *
 * @param namespace          the namespace of PostgreSQL, MinIO and their Jobs (default {@code data-local})
 * @param podCidr            the cluster's pod address range: where other namespaces' egress to PostgreSQL and MinIO
 *                           may go (default {@code 10.244.0.0/16}, kind's default pod subnet)
 * @param postgresStorageGiB the PostgreSQL volume (default 5)
 * @param minioStorageGiB    the MinIO volume (default 10)
 * @param databases          databases and logins, as for Cloud SQL (owner/writer/reader/migrator logins)
 */
public record LocalConfig(String namespace, String podCidr, int postgresStorageGiB, int minioStorageGiB,
                          List<DatabaseModel> databases) {
    public LocalConfig {
        databases = List.copyOf(databases);
    }
}
