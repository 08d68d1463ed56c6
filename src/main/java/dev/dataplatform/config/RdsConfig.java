package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;

import java.util.List;
import java.util.Map;

/**
 * data-platform:rds: PostgreSQL on RDS. Safety and backups not set here come from the environment profile.
 * {@code logicalBackups} is null unless the stack dumps the RDS databases (data-platform:rds.logicalBackups).
 */
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
        boolean manageRoles,
        RdsLogicalBackupConfig logicalBackups) {

    /** The same with the logical backups' AWS identity resolved (see {@link RdsLogicalBackupConfigParser#withIdentity}). */
    RdsConfig withLogicalBackups(RdsLogicalBackupConfig backups) {
        return new RdsConfig(region, identifier, engineVersion, instanceClass, allocatedStorageGb, maxAllocatedStorageGb, vpcId,
                subnetIds, allowedSecurityGroupIds, allowedCidrs, kmsKeyId, backupWindow, maintenanceWindow,
                monitoringIntervalSeconds, masterUsername, parameters, ssmParameterName, databases, manageRoles, backups);
    }
}
