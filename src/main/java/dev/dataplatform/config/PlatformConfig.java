package dev.dataplatform.config;

import dev.dataplatform.core.EnvironmentProfile;
import dev.dataplatform.core.Environment;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated config of one stack. Components get typed args derived from it, never raw config.
 *
 * @param stack       the stack name
 * @param environment data-platform:environment
 * @param profile     the environment's profile with the stack's overrides applied
 * @param labels      labels/tags for every resource that takes them: the stack's
 *                    data-platform:labels plus {@code environment} and {@code managed-by}
 * @param cloudSql    data-platform:cloudSql, when the stack uses Cloud SQL
 * @param rds         data-platform:rds, when the stack uses RDS
 * @param buckets     data-platform:buckets, when the stack has object storage
 * @param tenants     data-platform:tenants, when the stack runs StackGres tenants
 * @param dagster     data-platform:dagster, when the stack runs Dagster
 * @param observability data-platform:observability, when the stack runs the telemetry stack
 * @param missingSecrets offline only: key paths of required secrets the stack file does not set yet
 * @param pgstac      data-platform:pgstacVersion and data-platform:pgstacMigration (present whenever the environment is)
 * @param logicalBackups data-platform:logicalBackups, when the stack dumps its Cloud SQL databases
 * @param icebergCatalog data-platform:icebergCatalog, when the stack runs the Iceberg REST catalog (Polaris)
 * @param alerts      data-platform:alerts, when the stack alerts on its databases
 * @param clusters    data-platform:clusters and where each component that creates Kubernetes resources is placed
 * @param disabledDefaultProviders pulumi:disable-default-providers (packages that need an explicit provider)
 * @param local       data-platform:local, when the stack runs its databases and buckets inside its cluster
 */
public record PlatformConfig(
        String stack,
        Environment environment,
        EnvironmentProfile profile,
        Map<String, String> labels,
        Optional<CloudSqlConfig> cloudSql,
        Optional<RdsConfig> rds,
        Optional<BucketsConfig> buckets,
        Optional<TenantsConfig> tenants,
        Optional<DagsterConfig> dagster,
        Optional<ObservabilityConfig> observability,
        Set<String> missingSecrets,
        Optional<PgstacConfig> pgstac,
        Optional<LogicalBackupConfig> logicalBackups,
        Optional<IcebergCatalogConfig> icebergCatalog,
        Optional<AlertsConfig> alerts,
        ClustersConfig clusters,
        Set<String> disabledDefaultProviders,
        Optional<LocalConfig> local) {

}
