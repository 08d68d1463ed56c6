package dev.dataplatform.config;

import dev.dataplatform.backup.LogicalBackup;

import java.util.List;

/**
 * data-platform:logicalBackups: scheduled pg_dump of the Cloud SQL databases to a backup bucket, and the on-demand
 * restore drill (see {@link LogicalBackupConfigParser} for every key and default).
 */
public record LogicalBackupConfig(
        String bucket,
        String prefix,
        String schedule,
        int retentionDays,
        List<String> databases,
        String login,
        String passwordStore,
        String passwordKey,
        LogicalBackup.Drill restoreDrill) {
}
