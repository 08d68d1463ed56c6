package dev.dataplatform.config;

import dev.dataplatform.alerts.CloudSqlAlerts;
import dev.dataplatform.alerts.RdsAlarms;
import dev.dataplatform.core.AlertThresholds;
import dev.dataplatform.core.Environment;
import dev.dataplatform.core.EnvironmentProfile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * data-platform:alerts. Keys:
 * <ul>
 *   <li>{@code gcp}: {@code notificationChannels} (existing channels by resource name), {@code emails} (the program
 *       creates an e-mail channel for each), {@code maxConnections} (default: {@code cloudSql.flags.max_connections});
 *       only with data-platform:cloudSql</li>
 *   <li>{@code aws}: {@code snsTopicArn}, {@code maxConnections} (default: {@code rds.parameters.max_connections});
 *       only with data-platform:rds</li>
 *   <li>{@code tenants}: {@code prometheusRules} (opt-in) and {@code ruleLabels}; only with data-platform:tenants</li>
 *   <li>{@code thresholds}: overrides of the environment's {@link AlertThresholds}, each within its range</li>
 * </ul>
 */
final class AlertsConfigParser {
    /** PostgreSQL accepts far fewer; this only catches a stray digit. */
    static final int MAX_CONNECTIONS = 100_000;
    static final java.util.regex.Pattern RULE_LABEL_KEY = java.util.regex.Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    static final java.util.regex.Pattern RULE_LABEL_VALUE = java.util.regex.Pattern.compile(
            "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private AlertsConfigParser() {
    }

    static Optional<AlertsConfig> parse(ConfigNode root, Environment environment, Optional<CloudSqlConfig> cloudSql,
                                        Optional<RdsConfig> rds) {
        var found = root.object("alerts");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var thresholds = thresholds(node, environment);
        boolean failed = thresholds.isEmpty();

        AlertsConfig.Gcp gcp = null;
        var gcpNode = node.object("gcp");
        if (gcpNode.isPresent()) {
            if (!root.has("cloudSql")) {
                node.error("gcp", "the stack has no data-platform:cloudSql to alert on; allowed: gcp only with "
                        + "data-platform:cloudSql");
                failed = true;
            }
            var g = gcpNode.get();
            var channels = g.strings("notificationChannels", CloudSqlAlerts.CHANNEL,
                    "Cloud Monitoring notification channel names, projects/<project>/notificationChannels/<numeric id> "
                            + "(create Slack, PagerDuty and other channels that need tokens outside the program)");
            var emails = g.strings("emails", CloudSqlAlerts.EMAIL, "e-mail addresses such as dba-oncall@example.com");
            if (g.has("notificationChannels") || g.has("emails")) {
                if (channels.isEmpty() && emails.isEmpty() && !root.context().failed(g.path())) {
                    g.error("notificationChannels", "is empty; allowed: at least one channel or e-mail address");
                }
            } else {
                g.error("notificationChannels", "is required (or emails); allowed: at least one notification channel "
                        + "or e-mail address: an alert must reach someone");
            }
            var flag = cloudSql.map(c -> c.flags().get("max_connections")).orElse(null);
            var max = maxConnections(g, flag, "data-platform:cloudSql.flags.max_connections");
            g.finish();
            if (max.isPresent() && (!channels.isEmpty() || !emails.isEmpty())) {
                gcp = new AlertsConfig.Gcp(channels, emails, max.get());
            } else {
                failed = true;
            }
        }

        AlertsConfig.Aws aws = null;
        var awsNode = node.object("aws");
        if (awsNode.isPresent()) {
            if (!root.has("rds")) {
                node.error("aws", "the stack has no data-platform:rds to alert on; allowed: aws only with data-platform:rds");
                failed = true;
            }
            var a = awsNode.get();
            var topic = a.requireString("snsTopicArn", RdsAlarms.SNS_TOPIC,
                    "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:data-platform-alerts");
            // A bar the volume can never reach is an alert that never fires: reads cannot exceed the gp3 baseline.
            if (thresholds.isPresent() && rds.isPresent()) {
                var problem = RdsAlarms.readIopsProblem(thresholds.get().readIops(), rds.get().allocatedStorageGb());
                if (problem.isPresent()) {
                    node.error("thresholds.readIops", problem.get() + " (data-platform:rds.allocatedStorageGb "
                            + rds.get().allocatedStorageGb() + "); tune it below the baseline, or provision more storage");
                    failed = true;
                }
            }
            var parameter = rds.map(r -> r.parameters().get("max_connections")).orElse(null);
            var max = maxConnections(a, parameter, "data-platform:rds.parameters.max_connections");
            a.finish();
            if (topic.isPresent() && max.isPresent()) {
                aws = new AlertsConfig.Aws(topic.get(), max.get());
                rds.map(RdsConfig::logicalBackups).filter(b -> b.alarmTopicArn() == null)
                        .ifPresent(b -> backupWindows(root, b));
            } else {
                failed = true;
            }
        }
        AlertsConfig.Tenants tenants = null;
        var tenantsNode = node.object("tenants");
        if (tenantsNode.isPresent()) {
            var t = tenantsNode.get();
            if (!root.has("tenants")) {
                node.error("tenants", "the stack has no data-platform:tenants to alert on; allowed: tenants only with "
                        + "data-platform:tenants");
                failed = true;
            }
            boolean rules = t.bool("prometheusRules").orElse(false);
            var ruleLabels = t.stringMap("ruleLabels", RULE_LABEL_KEY, "Kubernetes label keys such as release or "
                    + "app.kubernetes.io/part-of", RULE_LABEL_VALUE, "Kubernetes label values (up to 63 letters, digits, "
                    + "'-', '_', '.')");
            t.finish();
            if (rules) {
                tenants = new AlertsConfig.Tenants(ruleLabels);
            }
        }
        if (gcpNode.isEmpty() && awsNode.isEmpty() && tenantsNode.isEmpty() && !root.context().failed(node.path())) {
            node.error("gcp", "is required (or aws, tenants): alerts need somewhere to go; allowed: gcp (Cloud SQL), "
                    + "aws (RDS), tenants (StackGres)");
            failed = true;
        }
        node.finish();
        if (failed) {
            return Optional.empty();
        }
        return Optional.of(new AlertsConfig(thresholds.get(), gcp, aws, tenants));
    }

    /** The environment's thresholds with the stack's overrides, each checked against its range. */
    private static Optional<AlertThresholds> thresholds(ConfigNode node, Environment environment) {
        var values = new LinkedHashMap<>(EnvironmentProfile.alertThresholds(environment).asMap());
        var given = node.object("thresholds");
        if (given.isEmpty()) {
            return Optional.of(AlertThresholds.of(values));
        }
        boolean ok = true;
        for (Map.Entry<String, int[]> range : AlertThresholds.RANGES.entrySet()) {
            var value = given.get().integer(range.getKey(), range.getValue()[0], range.getValue()[1]);
            if (value.isPresent()) {
                values.put(range.getKey(), value.get());
            } else if (given.get().has(range.getKey())) {
                ok = false;
            }
        }
        given.get().finish();
        return ok ? Optional.of(AlertThresholds.of(values)) : Optional.empty();
    }

    /** {@code maxConnections}, defaulting to the instance's configured flag or parameter. */
    private static Optional<Integer> maxConnections(ConfigNode node, String configured, String configuredKey) {
        Integer fromInstance = null;
        if (configured != null) {
            if (configured.matches("[0-9]{1,6}") && Integer.parseInt(configured) >= 1 && Integer.parseInt(configured) <= MAX_CONNECTIONS) {
                fromInstance = Integer.parseInt(configured);
            } else {
                node.error("maxConnections", configuredKey + " '" + configured + "' is not a whole number the alerts can use; "
                        + "allowed: 1 to " + MAX_CONNECTIONS);
                return Optional.empty();
            }
        }
        var given = node.integer("maxConnections", 1, MAX_CONNECTIONS);
        if (given.isPresent() && fromInstance != null && !given.get().equals(fromInstance)) {
            node.error("maxConnections", given.get() + " differs from " + configuredKey + " " + fromInstance
                    + "; allowed: leave it out (the flag is used) or give the same number");
            return Optional.empty();
        }
        if (given.isEmpty() && fromInstance == null) {
            if (!node.has("maxConnections")) {
                node.error("maxConnections", "is required: the instance's max_connections (SHOW max_connections); allowed: "
                        + "1 to " + MAX_CONNECTIONS + ", or set " + configuredKey + " (the program does not guess the "
                        + "default the provider derives from the instance's memory)");
            }
            return Optional.empty();
        }
        return Optional.of(given.orElse(fromInstance));
    }

    /** The logical backups' alarms go to this topic too: their schedules must have a window the alarms can watch. */
    private static void backupWindows(ConfigNode root, RdsLogicalBackupConfig backups) {
        RdsLogicalBackupConfigParser.windowProblem(backups.schedule())
                .ifPresent(p -> root.error("rds.logicalBackups.schedule", p + " (its alarms go to data-platform:alerts.aws.snsTopicArn)"));
        if (backups.restoreDrill() != null && backups.restoreDrill().schedule() != null) {
            RdsLogicalBackupConfigParser.windowProblem(backups.restoreDrill().schedule()).ifPresent(p -> root.error(
                    "rds.logicalBackups.restoreDrill.schedule", p + " (its alarms go to data-platform:alerts.aws.snsTopicArn)"));
        }
    }
}
