package dev.dataplatform.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The shell scripts the logical-backup CronJob and the restore-drill Job run, shipped as project files
 * ({@code dev/dataplatform/backup/*.sh}) and mounted from a ConfigMap. The tests run these very files against a
 * real PostgreSQL 15 with PostGIS.
 */
public final class BackupScripts {
    public static final String DUMP = "pg-dump.sh";
    public static final String RESTORE_DRILL = "restore-drill.sh";
    public static final String UPLOAD = "gcs-upload.sh";
    public static final String FETCH_LATEST = "gcs-fetch-latest.sh";
    /** The RDS variants: IAM token sidecar, step recorder, S3 transfer, metric publishing, CA bundle (see RdsLogicalBackup). */
    public static final String RDS_TOKEN = "rds-token.sh";
    public static final String RECORD = "record.sh";
    public static final String S3_UPLOAD = "s3-upload.sh";
    public static final String S3_FETCH_LATEST = "s3-fetch-latest.sh";
    public static final String DRILL_REPORT = "drill-report.sh";
    public static final String METRIC = "metric.sh";
    /** The RDS pods' first init container: the RDS CA bundle for verify-full (see RdsLogicalBackup.CA_BUNDLE_URL). */
    public static final String RDS_CA_BUNDLE = "rds-ca-bundle.sh";

    private BackupScripts() {
    }

    /** A script's text, by file name. */
    public static String text(String name) {
        try (InputStream in = BackupScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("backup script " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The RDS scripts, added to the RDS backups' ConfigMap next to {@link #all()}. */
    public static Map<String, String> rds() {
        return Map.of(RDS_TOKEN, text(RDS_TOKEN), RECORD, text(RECORD), S3_UPLOAD, text(S3_UPLOAD),
                S3_FETCH_LATEST, text(S3_FETCH_LATEST), DRILL_REPORT, text(DRILL_REPORT), METRIC, text(METRIC),
                RDS_CA_BUNDLE, text(RDS_CA_BUNDLE));
    }

    /** The scripts, as the ConfigMap's data. */
    public static Map<String, String> all() {
        return Map.of(DUMP, text(DUMP), RESTORE_DRILL, text(RESTORE_DRILL), UPLOAD, text(UPLOAD), FETCH_LATEST, text(FETCH_LATEST));
    }
}
