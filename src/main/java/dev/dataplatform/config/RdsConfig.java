package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;

import java.util.List;
import java.util.Map;

/** data-platform:rds: PostgreSQL on RDS. Safety and backups not set here come from the environment profile. */
public record RdsConfig(
        String region,
        String identifier,
        String engineVersion,
        String instanceClass,
        int allocatedStorageGb,
        int maxAllocatedStorageGb,
        String vpcId,
        List<String> subnetIds,
        List<String> allowedSecurityGroupIds,
        List<String> allowedCidrs,
        String kmsKeyId,
        String backupWindow,
        String maintenanceWindow,
        int monitoringIntervalSeconds,
        String masterUsername,
        Map<String, String> parameters,
        String ssmParameterName,
        List<DatabaseModel> databases,
        boolean manageRoles) {
}
