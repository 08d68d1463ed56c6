package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Names;
import dev.dataplatform.backup.LogicalBackup;
import dev.dataplatform.core.Environment;
import dev.dataplatform.storage.BucketRules;
import dev.dataplatform.storage.ObjectBuckets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** data-platform:logicalBackups, checked against the Cloud SQL databases and the environment. */
final class LogicalBackupConfigParser {
    static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,198}[a-z0-9])?");
    static final Pattern RUN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?");
    static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_$]{0,62}):(([a-z_][a-z0-9_$]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_$]{0,62})");

    private LogicalBackupConfigParser() {
    }

    static Optional<LogicalBackupConfig> parse(ConfigNode root, Environment environment, Optional<CloudSqlConfig> cloudSql) {
        var found = root.object("logicalBackups");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var bucket = node.requireString("bucket", "a GCS bucket name for the dumps",
                name -> BucketRules.name(ObjectBuckets.Cloud.GCP, name));
        var prefix = node.string("prefix", PREFIX, "an object prefix such as cloudsql/dev (lower-case letters, digits, "
                + "'.', '_', '-', '/'; no leading or trailing '/')").orElse("cloudsql");
        var schedule = node.checked("schedule", Optional.of(node.string("schedule").orElse(LogicalBackup.DEFAULT_SCHEDULE)),
                LogicalBackup::cron);
        int minimum = LogicalBackup.minimumRetentionDays(environment);
        int retention = node.integer("retentionDays", 1, LogicalBackup.MAXIMUM_RETENTION_DAYS)
                .orElse(LogicalBackup.defaultRetentionDays(environment));
        if (retention < minimum) {
            node.error("retentionDays", retention + " is shorter than " + environment.id() + " allows; allowed: "
                    + minimum + " to " + LogicalBackup.MAXIMUM_RETENTION_DAYS + " days");
        }
        List<String> known = cloudSql.map(c -> c.databases().stream().map(DatabaseModel::name).toList()).orElse(List.of());
        var listed = node.strings("databases", Names.IDENTIFIER, Names.IDENTIFIER_RULE);
        for (String database : listed) {
            if (cloudSql.isPresent() && !known.contains(database)) {
                node.error("databases", "database '" + database + "' is not a data-platform:cloudSql database; allowed: "
                        + String.join(", ", known));
            }
        }
        List<String> databases = listed.isEmpty() ? known : listed;
        var login = node.requireRoleName("login");
        var store = node.requireString("passwordStore", PgstacConfigParser.STORE, "a ClusterSecretStore name");
        var key = node.requireString("passwordKey", PgstacConfigParser.REMOTE_KEY, "the password's key in that store");
        // Without a parsed Cloud SQL section the databases are unknown: its own errors say why, no follow-on errors here.
        var drill = node.object("restoreDrill").flatMap(d -> drill(d, cloudSql.isPresent() ? databases : null));
        ClustersConfigParser.place(node, ClustersConfig.Component.LOGICAL_BACKUPS, dev.dataplatform.kubernetes.Cluster.Identity.GKE_WORKLOAD_IDENTITY, true);
        node.finish();
        if (cloudSql.isEmpty()) {
            if (!root.context().failed("data-platform:cloudSql")) {
                root.error("logicalBackups", "needs data-platform:cloudSql: the dumps are taken from the Cloud SQL instance's "
                        + "databases; allowed only on a stack with data-platform:cloudSql");
            }
            return Optional.empty();
        }
        if (databases.isEmpty()) {
            node.error("databases", "there is nothing to back up: data-platform:cloudSql lists no database");
        }
        if (bucket.isEmpty() || schedule.isEmpty() || login.isEmpty() || store.isEmpty() || key.isEmpty()
                || retention < minimum || databases.isEmpty()
                || (node.has("restoreDrill") && drill.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new LogicalBackupConfig(bucket.get(), prefix, schedule.get(), retention, List.copyOf(databases),
                login.get(), store.get(), key.get(), drill.orElse(null)));
    }

    /** @param databases the backed-up databases, or null when they are unknown (no Cloud SQL section) */
    private static Optional<LogicalBackup.Drill> drill(ConfigNode node, List<String> databases) {
        var run = node.requireString("run", RUN, "a drill run id (1-20 lower-case letters, digits, '-'), such as "
                + "2026-12-01: a new value runs a new drill");
        var login = node.requireRoleName("login");
        var key = node.requireString("passwordKey", PgstacConfigParser.REMOTE_KEY, "the drill login's password key in the store");
        var entries = node.strings("tables", TABLE, "<database>:<table> or <database>:<schema>.<table>, such as "
                + "pgstac:pgstac.items");
        var tables = new LinkedHashMap<String, List<String>>();
        for (String entry : entries) {
            var m = TABLE.matcher(entry);
            if (!m.matches()) {
                continue;
            }
            if (databases != null && !databases.contains(m.group(1))) {
                node.error("tables", "'" + entry + "' names database '" + m.group(1) + "', which is not backed up; allowed: "
                        + String.join(", ", databases));
                continue;
            }
            tables.computeIfAbsent(m.group(1), d -> new java.util.ArrayList<>()).add(m.group(2));
        }
        // A Job's name becomes its pods' job-name label value: at most 63 characters.
        if (run.isPresent() && databases != null) {
            databases.stream().filter(d -> LogicalBackup.drillJobName(d, run.get()).length() > 63).findFirst().ifPresent(d ->
                    node.error("run", "'" + run.get() + "' makes the Job name " + LogicalBackup.drillJobName(d, run.get())
                            + " longer than 63 characters; allowed: a run id of at most "
                            + Math.max(1, 63 - LogicalBackup.drillJobName(d, "").length()) + " characters for database " + d));
        }
        node.finish();
        if (run.isEmpty() || login.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        tables.forEach((d, t) -> copy.put(d, List.copyOf(t)));
        return Optional.of(new LogicalBackup.Drill(run.get(), login.get(), key.get(), copy));
    }
}
