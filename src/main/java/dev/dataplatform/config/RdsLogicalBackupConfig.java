package dev.dataplatform.config;

import dev.dataplatform.backup.RdsLogicalBackup;

import java.util.List;

/**
 * data-platform:rds.logicalBackups: scheduled pg_dump of the RDS databases to a dedicated S3 bucket, the restore drill
 * (scheduled or on demand) and their CloudWatch metrics (see {@link RdsLogicalBackupConfigParser} for every key).
 *
 * @param accountId    the AWS account of the EKS cluster's OIDC provider (default: data-platform:tenants.aws)
 * @param oidcProvider the EKS cluster's OIDC issuer (default: data-platform:tenants.aws)
 */
public record RdsLogicalBackupConfig(
        String bucket,
        String prefix,
        String schedule,
        int retentionDays,
        List<String> databases,
        String login,
        String databaseCidr,
        String accountId,
        String oidcProvider,
        String alarmTopicArn,
        RdsLogicalBackup.Drill restoreDrill) {

    RdsLogicalBackupConfig withIdentity(String account, String oidc) {
        return new RdsLogicalBackupConfig(bucket, prefix, schedule, retentionDays, databases, login, databaseCidr, account,
                oidc, alarmTopicArn, restoreDrill);
    }
}
