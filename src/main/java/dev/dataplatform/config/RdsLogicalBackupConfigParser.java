package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Names;
import dev.dataplatform.backup.LogicalBackup;
import dev.dataplatform.backup.RdsLogicalBackup;
import dev.dataplatform.core.Environment;
import dev.dataplatform.stackgres.TenantRules;
import dev.dataplatform.storage.BucketRules;
import dev.dataplatform.storage.ObjectBuckets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** data-platform:rds.logicalBackups, checked against the RDS databases and the environment. */
final class RdsLogicalBackupConfigParser {
    static final Pattern SNS_TOPIC = Pattern.compile("arn:aws(-[a-z]+)?:sns:[a-z]{2}(-gov)?-[a-z]+-\\d:\\d{12}:[A-Za-z0-9_-]{1,256}");

    private RdsLogicalBackupConfigParser() {
    }

    /** Reads {@code logicalBackups} inside the rds node; {@code databases} are the RDS databases. */
    static Optional<RdsLogicalBackupConfig> parse(ConfigNode rds, Environment environment, List<DatabaseModel> rdsDatabases) {
        var found = rds.object("logicalBackups");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var bucket = node.requireString("bucket", "an S3 bucket name for the dumps (created by the program)",
                name -> BucketRules.name(ObjectBuckets.Cloud.AWS, name));
        var prefix = node.string("prefix", LogicalBackupConfigParser.PREFIX, "an object prefix such as rds/stage "
                + "(lower-case letters, digits, '.', '_', '-', '/'; no leading or trailing '/')").orElse("rds");
        var schedule = node.checked("schedule", Optional.of(node.string("schedule").orElse(LogicalBackup.DEFAULT_SCHEDULE)),
                LogicalBackup::cron);
        int minimum = LogicalBackup.minimumRetentionDays(environment);
        int retention = node.integer("retentionDays", 1, LogicalBackup.MAXIMUM_RETENTION_DAYS)
                .orElse(LogicalBackup.defaultRetentionDays(environment));
        if (retention < minimum) {
            node.error("retentionDays", retention + " is shorter than " + environment.id() + " allows; allowed: "
                    + minimum + " to " + LogicalBackup.MAXIMUM_RETENTION_DAYS + " days");
        }
        List<String> known = rdsDatabases.stream().map(DatabaseModel::name).toList();
        var listed = node.strings("databases", Names.IDENTIFIER, Names.IDENTIFIER_RULE);
        for (String database : listed) {
            if (!known.contains(database)) {
                node.error("databases", "database '" + database + "' is not a data-platform:rds database; allowed: "
                        + String.join(", ", known));
            }
        }
        List<String> databases = listed.isEmpty() ? known : listed;
        if (databases.isEmpty()) {
            node.error("databases", "there is nothing to back up: data-platform:rds lists no database");
        }
        var existingLogins = rdsDatabases.stream().flatMap(d -> d.logins().stream().map(l -> l.name())).toList();
        var login = login(node, "login", RdsLogicalBackup.DEFAULT_LOGIN, existingLogins);
        var cidr = node.requireString("databaseCidr", "the private range the instance's address is in, such as 10.30.0.0/16 "
                + "(egress to PostgreSQL on 5432)", dev.dataplatform.core.Rules::privateIpv4Cidr);
        String account = null;
        String oidc = null;
        var aws = node.object("aws");
        if (aws.isPresent()) {
            account = aws.get().requireString("accountId", "a 12-digit AWS account ID", TenantRules::awsAccountId).orElse(null);
            oidc = aws.get().requireString("oidcProvider", "the EKS cluster's OIDC issuer", TenantRules::oidcProvider).orElse(null);
            aws.get().finish();
        }
        var topic = node.string("alarmTopicArn", SNS_TOPIC, "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts")
                .orElse(null);
        var drill = node.object("restoreDrill").flatMap(d -> drill(d, databases, existingLogins, login.orElse(null)));
        if (topic != null) {
            windowProblem(schedule.orElse(null)).ifPresent(p -> node.error("schedule", p));
        }
        ClustersConfigParser.place(node, ClustersConfig.Component.RDS_LOGICAL_BACKUPS, dev.dataplatform.kubernetes.Cluster.Identity.EKS_IRSA, true);
        node.finish();
        if (bucket.isEmpty() || schedule.isEmpty() || login.isEmpty() || cidr.isEmpty() || retention < minimum
                || databases.isEmpty() || (node.has("restoreDrill") && drill.isEmpty())
                || (aws.isPresent() && (account == null || oidc == null))) {
            return Optional.empty();
        }
        return Optional.of(new RdsLogicalBackupConfig(bucket.get(), prefix, schedule.get(), retention, List.copyOf(databases),
                login.get(), cidr.get(), account, oidc, topic, drill.orElse(null)));
    }

    /**
     * The IRSA trust needs the OIDC issuer of the EKS cluster the CronJobs run on: the placed cluster's. An
     * {@code aws} block of its own (older stack files) must name that same cluster.
     */
    static Optional<RdsLogicalBackupConfig> withIdentity(ConfigNode root, Optional<RdsLogicalBackupConfig> config,
                                                         ClustersConfig clusters) {
        if (config.isEmpty()) {
            return config;
        }
        var cluster = clusters.placed(ClustersConfig.Component.RDS_LOGICAL_BACKUPS).filter(c -> c.eks() != null);
        if (cluster.isEmpty()) {
            return Optional.empty(); // the placement's own error says why
        }
        var eks = cluster.get().eks();
        var given = config.get();
        if (given.accountId() != null && (!given.accountId().equals(eks.accountId()) || !given.oidcProvider().equals(eks.oidcProvider()))) {
            root.error("rds.logicalBackups.aws", "names another identity than cluster '" + cluster.get().name() + "' (account "
                    + eks.accountId() + ", issuer " + eks.oidcProvider() + ") the CronJobs run on; allowed: remove it (the "
                    + "IRSA identity comes from the cluster)");
            return Optional.empty();
        }
        return Optional.of(given.withIdentity(eks.accountId(), eks.oidcProvider()));
    }

    private static Optional<String> login(ConfigNode node, String key, String fallback, List<String> existing) {
        var login = node.checked(key, Optional.of(node.string(key).orElse(fallback)), Names::loginProblem);
        if (login.isPresent() && existing.contains(login.get())) {
            node.error(key, "'" + login.get() + "' is already a login of data-platform:rds.databases; allowed: a login of its "
                    + "own (the program declares it with only what backups need)");
            return Optional.empty();
        }
        return login;
    }

    static Optional<String> windowProblem(String schedule) {
        if (schedule != null && RdsLogicalBackup.windowDays(schedule) == null) {
            return Optional.of("'" + schedule + "' runs less often than weekly, which the alarms cannot watch; allowed: a "
                    + "schedule with day-of-month and month '*' (daily, or some days of each week)");
        }
        return Optional.empty();
    }

    private static Optional<RdsLogicalBackup.Drill> drill(ConfigNode node, List<String> databases, List<String> existing,
                                                          String backupLogin) {
        var login = login(node, "login", RdsLogicalBackup.DEFAULT_DRILL_LOGIN, existing);
        if (login.isPresent() && login.get().equals(backupLogin)) {
            node.error("login", "'" + login.get() + "' is the backup login; allowed: a login of its own (the drill creates "
                    + "databases, the backup only reads)");
        }
        Optional<String> schedule = node.has("schedule") ? node.checked("schedule", node.string("schedule"), LogicalBackup::cron)
                : Optional.empty();
        var run = node.string("run", LogicalBackupConfigParser.RUN, "a drill run id (1-20 lower-case letters, digits, '-'), "
                + "such as 2026-12-01: a new value runs a new drill");
        if (node.has("schedule") == node.has("run")) {
            node.error("schedule", "give exactly one of schedule (a scheduled drill, a CronJob per database) and run (an "
                    + "on-demand drill, a Job per database and run id)");
        }
        schedule.flatMap(RdsLogicalBackupConfigParser::windowProblem).ifPresent(p -> node.error("schedule", p));
        var entries = node.strings("tables", LogicalBackupConfigParser.TABLE, "<database>:<table> or "
                + "<database>:<schema>.<table>, such as metadata:public.items");
        var tables = new LinkedHashMap<String, List<String>>();
        for (String entry : entries) {
            var m = LogicalBackupConfigParser.TABLE.matcher(entry);
            if (!m.matches()) {
                continue;
            }
            if (!databases.contains(m.group(1))) {
                node.error("tables", "'" + entry + "' names database '" + m.group(1) + "', which is not backed up; allowed: "
                        + String.join(", ", databases));
                continue;
            }
            tables.computeIfAbsent(m.group(1), d -> new ArrayList<>()).add(m.group(2));
        }
        for (String database : databases) {
            String name = run.isPresent() ? RdsLogicalBackup.drillJobName(database, run.get())
                    : RdsLogicalBackup.drillCronJobName(database);
            int limit = run.isPresent() ? 63 : RdsLogicalBackup.MAX_CRON_JOB_NAME;
            if (name.length() > limit) {
                node.error(run.isPresent() ? "run" : "schedule", "database " + database + " makes the drill's name " + name
                        + " longer than " + limit + " characters; allowed: names of at most " + limit + " characters");
            }
        }
        node.finish();
        if (login.isEmpty() || (schedule.isEmpty() == run.isEmpty()) || login.get().equals(backupLogin)) {
            return Optional.empty();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        tables.forEach((d, t) -> copy.put(d, List.copyOf(t)));
        return Optional.of(new RdsLogicalBackup.Drill(login.get(), schedule.orElse(null), run.orElse(null), copy));
    }
}
