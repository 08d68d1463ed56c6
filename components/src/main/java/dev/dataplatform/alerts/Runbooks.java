package dev.dataplatform.alerts;

import java.util.List;

/**
 * The runbook of every alert the program declares: a section of docs/alerts.md, named by its anchor. Each policy's
 * documentation and each alarm's description names its anchor; a test checks that every anchor exists.
 */
public final class Runbooks {
    public static final String DOC = "docs/alerts.md";

    public static final String CLOUD_SQL_DOWN = "cloud-sql-instance-down";
    public static final String CLOUD_SQL_CPU = "cloud-sql-cpu";
    public static final String CLOUD_SQL_MEMORY = "cloud-sql-memory";
    public static final String CLOUD_SQL_DISK_CEILING = "cloud-sql-disk-ceiling";
    public static final String CLOUD_SQL_CONNECTIONS = "cloud-sql-connections";
    public static final String CLOUD_SQL_BACKUP = "cloud-sql-logical-backup-or-restore-drill";
    public static final String RDS_DOWN = "rds-instance-down";
    public static final String RDS_CPU = "rds-cpu";
    public static final String RDS_FREE_STORAGE = "rds-free-storage";
    public static final String RDS_FREEABLE_MEMORY = "rds-freeable-memory";
    public static final String RDS_CONNECTIONS = "rds-connections";
    public static final String RDS_READ_IOPS = "rds-read-iops";
    public static final String RDS_WRITE_LATENCY = "rds-write-latency";
    public static final String RDS_BACKUP = "rds-logical-backup";
    public static final String RDS_RESTORE_DRILL = "rds-restore-drill";
    public static final String TENANT_DOWN = "tenant-postgresql-down";
    public static final String TENANT_MISSING = "tenant-postgresql-instance-missing";
    public static final String TENANT_SPLIT_BRAIN = "tenant-split-brain";
    public static final String TENANT_REPLICA_LAG = "tenant-replica-lag";
    public static final String TENANT_CONNECTIONS = "tenant-connections";
    public static final String TENANT_POOL_WAITING = "tenant-pgbouncer-waiting-clients";

    public static final List<String> ALL = List.of(CLOUD_SQL_DOWN, CLOUD_SQL_CPU, CLOUD_SQL_MEMORY, CLOUD_SQL_DISK_CEILING,
            CLOUD_SQL_CONNECTIONS, CLOUD_SQL_BACKUP, RDS_DOWN, RDS_CPU, RDS_FREE_STORAGE, RDS_FREEABLE_MEMORY, RDS_CONNECTIONS, RDS_READ_IOPS,
            RDS_WRITE_LATENCY, RDS_BACKUP, RDS_RESTORE_DRILL, TENANT_DOWN, TENANT_MISSING, TENANT_SPLIT_BRAIN, TENANT_REPLICA_LAG,
            TENANT_CONNECTIONS, TENANT_POOL_WAITING);

    private Runbooks() {
    }

    /** {@code Runbook: docs/alerts.md#<anchor>}: the line every alert carries. */
    public static String link(String anchor) {
        if (!ALL.contains(anchor)) {
            throw new IllegalArgumentException("no runbook for " + anchor);
        }
        return "Runbook: " + DOC + "#" + anchor;
    }
}
