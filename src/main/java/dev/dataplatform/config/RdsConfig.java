package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.aws.RdsProxy;

import java.util.List;
import java.util.Map;

/**
 * data-platform:rds: PostgreSQL on RDS. Safety and backups not set here come from the environment profile.
 * {@code logicalBackups} is null unless the stack dumps the RDS databases (data-platform:rds.logicalBackups);
 * {@code proxy} is null unless the stack puts an RDS Proxy in front of the instance (data-platform:rds.proxy).
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
        RdsLogicalBackupConfig logicalBackups,
        RdsProxy.Settings proxy,
        String accountId) {

    /** The same with the logical backups' AWS identity resolved (see {@link RdsLogicalBackupConfigParser#withIdentity}). */
    RdsConfig withLogicalBackups(RdsLogicalBackupConfig backups) {
        return new RdsConfig(region, identifier, engineVersion, instanceClass, allocatedStorageGb, maxAllocatedStorageGb, vpcId,
                subnetIds, allowedSecurityGroupIds, allowedCidrs, kmsKeyId, backupWindow, maintenanceWindow,
                monitoringIntervalSeconds, masterUsername, parameters, ssmParameterName, databases, manageRoles, backups, proxy,
                accountId);
    }
}
