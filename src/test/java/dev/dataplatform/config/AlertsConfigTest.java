package dev.dataplatform.config;

import dev.dataplatform.core.Environment;
import dev.dataplatform.core.EnvironmentProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.dataplatform.config.LogicalBackupConfigTest.committed;
import static dev.dataplatform.config.LogicalBackupConfigTest.edited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data-platform:alerts on the committed stacks, and each bad input refused with file, key path and what is allowed. */
class AlertsConfigTest {
    static final String KEY = "data-platform:alerts";

    @Test
    void theCommittedStacksAlertWhereTheyHaveDatabases() throws Exception {
        var dev = PlatformConfigParserTest.parse("dev", committed("dev")).alerts().orElseThrow();
        assertEquals(List.of("projects/acme-data-dev/notificationChannels/4817263905172634519"), dev.gcp().notificationChannels());
        assertEquals(List.of("data-platform-dev@acme.example"), dev.gcp().emails());
        assertEquals(100, dev.gcp().maxConnections());
        assertNull(dev.aws(), "dev has no RDS");
        assertEquals(EnvironmentProfile.alertThresholds(Environment.DEV), dev.thresholds());

        var stage = PlatformConfigParserTest.parse("stage", committed("stage")).alerts().orElseThrow();
        assertNull(stage.gcp(), "stage has no Cloud SQL");
        assertEquals("arn:aws:sns:eu-west-1:210987654321:data-platform-stage-alerts", stage.aws().snsTopicArn());
        assertEquals(200, stage.aws().maxConnections());

        var prod = PlatformConfigParserTest.parse("prod", committed("prod")).alerts().orElseThrow();
        assertEquals(2, prod.gcp().notificationChannels().size());
        assertEquals("arn:aws:sns:eu-west-1:123456789012:data-platform-prod-alerts", prod.aws().snsTopicArn());
        assertEquals(75, prod.thresholds().cpuPercent(), "prod overrides CPU");
        assertEquals(EnvironmentProfile.alertThresholds(Environment.PROD).memoryPercent(), prod.thresholds().memoryPercent());
    }

    @Test
    void maxConnectionsFollowsTheInstancesFlag() throws Exception {
        var yaml = devWithFlag("250").replace("      maxConnections: 100\n", "");
        assertEquals(250, PlatformConfigParserTest.parse("dev", yaml).alerts().orElseThrow().gcp().maxConnections());
    }

    @Test
    void tenantRulesAreOptIn() throws Exception {
        var on = edited("stage", "      maxConnections: 200\n",
                "      maxConnections: 200\n    tenants:\n      prometheusRules: true\n      ruleLabels: {release: monitoring}\n");
        var tenants = PlatformConfigParserTest.parse("stage", on).alerts().orElseThrow().tenants();
        assertEquals(java.util.Map.of("release", "monitoring"), tenants.ruleLabels());
        var off = on.replace("prometheusRules: true", "prometheusRules: false");
        assertNull(PlatformConfigParserTest.parse("stage", off).alerts().orElseThrow().tenants());
        assertNull(PlatformConfigParserTest.parse("stage", committed("stage")).alerts().orElseThrow().tenants(),
                "no committed stack turns them on");
    }

    @Test
    void withTenantRulesEachTenantGetsItsPrometheusRule() throws Exception {
        var on = edited("stage", "      maxConnections: 200\n",
                "      maxConnections: 200\n    tenants:\n      prometheusRules: true\n      ruleLabels: {release: monitoring}\n");
        var platform = PlatformConfigParserTest.parse("stage", on);
        String type = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
        var platformRun = dev.dataplatform.testing.Harness.preview("stage",
                ctx -> dev.dataplatform.program.PlatformProgram.declare(ctx, platform)).succeeded();
        assertEquals(0, platformRun.count(type), "the platform holds no tenant");
        // The shard declares its tenants' rules with the settings the platform exports (tenantPlatform.alerts).
        var shard = dev.dataplatform.fleet.Shard.parse(StackFile.parse("Pulumi.stage-tenants-01.yaml", "stage-tenants-01",
                committed("stage-tenants-01")), "data-platform");
        var config = dev.dataplatform.fleet.Shard.merge(shard, dev.dataplatform.fleet.Shard.export(platform,
                platform.tenants().orElseThrow()));
        assertEquals(platform.alerts().orElseThrow().thresholds(), config.alerts().orElseThrow().thresholds());
        var run = dev.dataplatform.testing.Harness.preview("stage-tenants-01",
                ctx -> dev.dataplatform.program.PlatformProgram.declare(ctx, config)).succeeded();
        assertEquals(1, run.count(type), "stage's shard has one tenant, globex");
        assertEquals("tenant-globex", run.input(type, "globex-alert-rules-rules", "metadata.namespace"));
        assertEquals("monitoring", run.input(type, "globex-alert-rules-rules", "metadata.labels.release"));
        var dependsOn = run.resource("dataplatform:alerts:TenantAlertRules", "globex-alert-rules").options().dependsOn();
        assertTrue(dependsOn.stream().anyMatch(urn -> urn.endsWith("Namespace::globex-namespace")),
                "after the tenant's resources (its namespace first): " + dependsOn);
    }

    static String devWithFlag(String value) throws Exception {
        return committed("dev").replace("    privateNetwork: projects/acme-data-dev/global/networks/data-platform\n",
                "    privateNetwork: projects/acme-data-dev/global/networks/data-platform\n    flags:\n      max_connections: \"" + value + "\"\n");
    }

    static Stream<Arguments> badInputs() throws Exception {
        String channel = "        - projects/acme-data-dev/notificationChannels/4817263905172634519\n";
        String emails = "      emails: [data-platform-dev@acme.example]\n";
        String max = "      maxConnections: 100\n";
        String topic = "      snsTopicArn: arn:aws:sns:eu-west-1:210987654321:data-platform-stage-alerts\n";
        String stageMax = "      maxConnections: 200\n";
        return Stream.of(
                Arguments.of("dev", edited("dev", channel, "        - 4817263905172634519\n"),
                        KEY + ".gcp.notificationChannels[0]", "allowed: Cloud Monitoring notification channel names, "
                                + "projects/<project>/notificationChannels/<numeric id>"),
                Arguments.of("dev", edited("dev", channel, "        - projects/acme-data-dev/notificationChannels/slack-oncall\n"),
                        KEY + ".gcp.notificationChannels[0]", "is not valid"),
                Arguments.of("dev", edited("dev", emails, "      emails: [oncall-at-acme]\n"),
                        KEY + ".gcp.emails[0]", "allowed: e-mail addresses"),
                Arguments.of("dev", edited("dev", emails, "").replace("      notificationChannels:\n" + channel, ""),
                        KEY + ".gcp.notificationChannels", "is required (or emails)"),
                Arguments.of("dev", edited("dev", emails, "      emails: []\n").replace(channel, "").replace(
                        "      notificationChannels:\n", "      notificationChannels: []\n"),
                        KEY + ".gcp.notificationChannels", "is empty; allowed: at least one channel or e-mail address"),
                Arguments.of("dev", edited("dev", max, ""), KEY + ".gcp.maxConnections", "is required: the instance's max_connections"),
                Arguments.of("dev", edited("dev", max, "      maxConnections: 0\n"), KEY + ".gcp.maxConnections",
                        "0 is out of range; allowed: 1 to 100000"),
                Arguments.of("dev", devWithFlag("250"), KEY + ".gcp.maxConnections",
                        "100 differs from data-platform:cloudSql.flags.max_connections 250"),
                Arguments.of("dev", devWithFlag("lots"), KEY + ".gcp.maxConnections",
                        "data-platform:cloudSql.flags.max_connections 'lots' is not a whole number"),
                Arguments.of("dev", edited("dev", "    gcp:\n", "    aws:\n      snsTopicArn: arn:aws:sns:eu-west-1:111122223333:x\n"
                                + "      maxConnections: 10\n    gcp:\n"),
                        KEY + ".aws", "the stack has no data-platform:rds to alert on"),
                Arguments.of("stage", edited("stage", "    aws:\n", "    gcp:\n      emails: [a@acme.example]\n      maxConnections: 10\n    aws:\n"),
                        KEY + ".gcp", "the stack has no data-platform:cloudSql to alert on"),
                Arguments.of("stage", edited("stage", topic, "      snsTopicArn: data-platform-stage-alerts\n"),
                        KEY + ".aws.snsTopicArn", "allowed: an SNS topic ARN"),
                Arguments.of("stage", edited("stage", topic, ""), KEY + ".aws.snsTopicArn", "is required"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds:\n      cpuPercent: 101\n"),
                        KEY + ".thresholds.cpuPercent", "101 is out of range; allowed: 10 to 99"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds:\n      diskCeilingPercent: 100\n"),
                        KEY + ".thresholds.diskCeilingPercent", "100 is out of range; allowed: 50 to 99"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds:\n      forMinutes: 0\n"),
                        KEY + ".thresholds.forMinutes", "0 is out of range; allowed: 1 to 60"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds:\n      writeLatencyMs: fast\n"),
                        KEY + ".thresholds.writeLatencyMs", "must be a whole number from 1 to 10000"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds:\n      cpu: 80\n"),
                        KEY + ".thresholds.cpu", "unknown key"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    slack: oncall\n"), KEY + ".slack", "unknown key"),
                Arguments.of("stage", edited("stage", "    aws:\n" + "      snsTopicArn", "    thresholds: {}\n    xaws:\n      snsTopicArn"),
                        KEY + ".gcp", "is required (or aws, tenants)"),
                Arguments.of("dev", edited("dev", "    gcp:\n", "    tenants: {prometheusRules: true}\n    gcp:\n"),
                        KEY + ".tenants", "the stack has no data-platform:tenants to alert on"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    tenants: {prometheusRules: yes}\n"),
                        KEY + ".tenants.prometheusRules", "must be true or false"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    tenants: {prometheusRules: true, ruleLabels: {\"-bad\": x}}\n"),
                        KEY + ".tenants.ruleLabels.-bad", "is not valid; allowed: Kubernetes label keys"),
                // Stage's 20 GiB gp3 volume delivers 3,000 IOPS in total: a read bar at or above it never fires.
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds: {readIops: 3000}\n"),
                        KEY + ".thresholds.readIops", "readIops 3000 can never be exceeded: gp3 storage of 20 GiB delivers "
                                + "3000 IOPS in total (reads and writes; below 400 GiB); allowed: 1 to 2999"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds: {readIops: 12000}\n"),
                        KEY + ".thresholds.readIops", "(data-platform:rds.allocatedStorageGb 20)"),
                Arguments.of("stage", edited("stage", stageMax, stageMax + "    thresholds: {replicaLagSeconds: 5}\n"),
                        KEY + ".thresholds.replicaLagSeconds", "5 is out of range; allowed: 10 to 86400"),
                // The backups' alarms fall back to the alerts topic: their schedules must be watchable.
                Arguments.of("stage", edited("stage", "      schedule: \"15 2 * * *\"\n", "      schedule: \"15 2 1 * *\"\n"),
                        "data-platform:rds.logicalBackups.schedule", "its alarms go to data-platform:alerts.aws.snsTopicArn"));
    }

    @ParameterizedTest(name = "[{index}] {2}: {3}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithFileKeyPathAndWhatIsAllowed(String stack, String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused(stack, yaml, path, fragment);
    }
}
