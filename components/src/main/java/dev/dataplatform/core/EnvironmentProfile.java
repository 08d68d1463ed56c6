package dev.dataplatform.core;


/**
 * Sizing and safety defaults of an environment, which components read instead of hard-coding.
 * A stack may override them under {@code data-platform:profile}, but never below the floor of its
 * environment (stage and prod stay protected and backed up; prod stays highly available).
 *
 * @param protect             Pulumi {@code protect} on stateful resources. Default: off in dev, on otherwise.
 * @param deletionProtection  the cloud's own deletion protection. Default: off in dev, on otherwise.
 * @param highAvailability    regional Cloud SQL / Multi-AZ RDS / more replicas. Default: on in prod only.
 * @param backupRetentionDays days of automated backups. Default: dev 1, stage 7, prod 14.
 * @param pointInTimeRecovery PITR / WAL archiving. Default: off in dev, on otherwise.
 */
public record EnvironmentProfile(
        boolean protect,
        boolean deletionProtection,
        boolean highAvailability,
        int backupRetentionDays,
        boolean pointInTimeRecovery) {

    public static EnvironmentProfile defaults(Environment environment) {
        return switch (environment) {
            case DEV -> new EnvironmentProfile(false, false, false, 1, false);
            case STAGE -> new EnvironmentProfile(true, true, false, 7, true);
            case PROD -> new EnvironmentProfile(true, true, true, 14, true);
        };
    }

    /**
     * When the database alerts fire, by environment: dev tolerates more and waits longer (it is small and disposable),
     * prod warns earliest. The read IOPS and write latency bars are starting points to tune with
     * each stack's own baseline (docs/alerts.md).
     */
    public static AlertThresholds alertThresholds(Environment environment) {
        return switch (environment) {
            case DEV -> new AlertThresholds(90, 95, 90, 90, 64, 1000, 50, 15, 600);
            case STAGE -> new AlertThresholds(85, 90, 90, 85, 128, 2000, 25, 10, 300);
            case PROD -> new AlertThresholds(80, 90, 90, 80, 256, 2400, 20, 5, 120);
        };
    }

    /** The lowest backup retention an environment may be configured with. */
    public static int minimumBackupRetentionDays(Environment environment) {
        return switch (environment) {
            case DEV -> 1;
            case STAGE -> 7;
            case PROD -> 7;
        };
    }
}
