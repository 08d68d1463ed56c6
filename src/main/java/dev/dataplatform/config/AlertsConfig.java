package dev.dataplatform.config;

import dev.dataplatform.core.AlertThresholds;

import java.util.List;
import java.util.Map;

/**
 * data-platform:alerts: where database alerts go and when they fire (see {@link AlertsConfigParser} for every key).
 *
 * @param thresholds the environment's thresholds with the stack's overrides
 * @param gcp        Cloud Monitoring alert policies for data-platform:cloudSql, or null
 * @param aws        CloudWatch alarms for data-platform:rds, or null
 * @param tenants    PrometheusRules for the StackGres tenants, or null (opt-in)
 */
public record AlertsConfig(AlertThresholds thresholds, Gcp gcp, Aws aws, Tenants tenants) {

    /**
     * @param notificationChannels existing channels, {@code projects/<project>/notificationChannels/<id>}
     * @param emails               addresses the program creates {@code email} channels for
     * @param maxConnections       the instance's max_connections (the connections policy's 100%)
     */
    public record Gcp(List<String> notificationChannels, List<String> emails, int maxConnections) {
    }

    /**
     * @param snsTopicArn    the SNS topic for alarm and OK actions (also the logical backups' alarms unless they name one)
     * @param maxConnections the instance's max_connections (the connections alarm's 100%)
     */
    public record Aws(String snsTopicArn, int maxConnections) {
    }

    /** @param ruleLabels labels the cluster's Prometheus selects rules by (its ruleSelector) */
    public record Tenants(Map<String, String> ruleLabels) {
    }
}
