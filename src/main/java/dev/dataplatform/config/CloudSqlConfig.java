package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.gcp.CloudSqlDatabase;

import java.util.List;
import java.util.Map;

/**
 * data-platform:cloudSql: PostgreSQL on Cloud SQL. Sizing and safety not set here come from the
 * environment profile (see {@link CloudSqlConfigParser} for every key and default).
 */
public record CloudSqlConfig(
        String project,
        String region,
        String privateNetwork,
        String instanceName,
        String databaseVersion,
        String tier,
        String edition,
        int diskSizeGb,
        int diskAutoresizeLimitGb,
        Integer transactionLogRetentionDays,
        String backupStartTime,
        int maintenanceDay,
        int maintenanceHour,
        Map<String, String> flags,
        SecretValue adminPassword,
        String adminPasswordSecretId,
        List<DatabaseModel> databases,
        List<CloudSqlDatabase.Workload> workloads) {

    /** Workloads the program wires by name: Dagster, Marquez and pgSTAC's migration Job. */
    public static final String DAGSTER = "dagster";
    public static final String MARQUEZ = "marquez";
    public static final String PGSTAC_MIGRATOR = "pgstac-migrator";

    /** The workload of that name (cloudSql.workloads.<name>). */
    public java.util.Optional<CloudSqlDatabase.Workload> workload(String name) {
        return workloads.stream().filter(w -> name.equals(w.name())).findFirst();
    }
}
