package dev.dataplatform.alerts;

import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.core.EnvironmentProfile;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tenant's PrometheusRule as pulumi-kubernetes receives it: the CRD's fields, scoped to the tenant's cluster. */
class TenantAlertRulesTest {
    static final String RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

    @Test
    @SuppressWarnings("unchecked")
    void oneRuleResourceInTheTenantsNamespaceScopedToItsCluster() {
        var args = new TenantAlertRules.Args("globex", "tenant-globex", EnvironmentProfile.alertThresholds(Environment.PROD),
                2, 80, Map.of("release", "monitoring"), Map.of("team", "data"));
        var run = Harness.preview("prod", ctx -> new TenantAlertRules("globex-alert-rules", args,
                ComponentResourceOptions.Empty)).succeeded();
        assertEquals(1, run.count(RULE));
        String name = "globex-alert-rules-rules";
        assertEquals("monitoring.coreos.com/v1", run.input(RULE, name, "apiVersion"));
        assertEquals("PrometheusRule", run.input(RULE, name, "kind"));
        assertEquals("tenant-globex", run.input(RULE, name, "metadata.namespace"));
        assertEquals("globex-postgres-alerts", run.input(RULE, name, "metadata.name"));
        assertEquals("monitoring", run.input(RULE, name, "metadata.labels.release"), "the label Prometheus selects rules by");
        assertEquals("data-platform-tenant-globex", run.input(RULE, name, "spec.groups.0.name"));
        var rules = (List<Map<String, Object>>) run.input(RULE, name, "spec.groups.0.rules");
        assertEquals(List.of("PostgresInstanceDown", "PostgresInstanceMissing", "PostgresSplitBrain", "PostgresReplicaLag",
                "PostgresTooManyConnections", "PgBouncerWaitingClients"), rules.stream().map(r -> r.get("alert")).toList());
        for (var rule : rules) {
            assertTrue(((String) rule.get("expr")).contains("{cluster_name=\"globex\""), rule.toString());
            assertTrue(rule.containsKey("for"), "the CRD's field is 'for': " + rule);
            assertTrue(((Map<String, String>) rule.get("annotations")).get("runbook").startsWith("Runbook: docs/alerts.md#tenant-"));
            assertEquals("globex", ((Map<String, String>) rule.get("labels")).get("tenant"));
        }
        String fresh = " and (time() - timestamp(%s) < 150))";
        String pgUp = "pg_up{cluster_name=\"globex\"}";
        assertEquals("(" + pgUp + " == 0" + fresh.formatted(pgUp), rules.get(0).get("expr"),
                "only current samples: a deleted pod's last pg_up 0 stays visible for 5 minutes");
        assertEquals("3m", rules.get(0).get("for"), "longer than a frozen sample stays current (150 s)");
        assertEquals("(count((" + pgUp + fresh.formatted(pgUp) + ") or vector(0)) < 2", rules.get(1).get("expr"),
                "an instance with no current exporter series pages (prod globex: 2 instances)");
        String replicating = "pg_replication_is_replicating{cluster_name=\"globex\"}";
        String primaries = "count((" + replicating + " == 0" + fresh.formatted(replicating) + ")";
        assertEquals(primaries + " > 1", rules.get(2).get("expr"));
        assertEquals("3m", rules.get(2).get("for"));
        String streaming = "pg_replication_status_lag_size{cluster_name=\"globex\", state=\"streaming\"}";
        String lag = "pg_replication_lag{cluster_name=\"globex\"}";
        assertEquals("(max((" + lag + fresh.formatted(lag) + ") > 120) or ((count((" + streaming + fresh.formatted(streaming)
                + ") or vector(0)) < 1 and on () " + primaries + " == 1)", rules.get(3).get("expr"),
                "prod's lag bar, or fewer replicas streaming from the one primary than the cluster has");
        assertEquals("5m", rules.get(3).get("for"));
        // A full prod pool (80 server connections) plus Patroni/exporter sessions must not fire: the bar is at least 88.
        String activity = "pg_stat_activity_count{cluster_name=\"globex\"}";
        assertEquals("sum by (instance) ((" + activity + fresh.formatted(activity) + ") > on (instance) "
                + "clamp_min(max by (instance) (pg_settings_max_connections{cluster_name=\"globex\"}) * 0.8, 88)", rules.get(4).get("expr"));
    }

    @Test
    void aSingleInstanceClusterHasNoStreamingCondition() {
        var args = new TenantAlertRules.Args("initech", "tenant-initech", EnvironmentProfile.alertThresholds(Environment.DEV),
                1, 20, Map.of(), Map.of());
        var rules = TenantAlertRules.spec(args).groups().get(0).rules();
        assertEquals("max((pg_replication_lag{cluster_name=\"initech\"} and (time() - timestamp(pg_replication_lag{cluster_name=\"initech\"}) < 150))) > 600",
                rules.get(3).expr(), "no replica to stream: only the lag bar");
        assertTrue(rules.get(1).expr().endsWith("< 1"), rules.get(1).expr());
    }

    @Test
    void badArgsAreRefused() {
        var t = EnvironmentProfile.alertThresholds(Environment.DEV);
        assertThrows(IllegalArgumentException.class, () -> new TenantAlertRules.Args("Globex", "tenant-globex", t, 1, 10, null, null));
        assertThrows(IllegalArgumentException.class, () -> new TenantAlertRules.Args("globex", "tenant-globex", t, 1, 0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new TenantAlertRules.Args("globex", "tenant-globex", t, 0, 10, null, null));
        assertThrows(IllegalArgumentException.class, () -> new dev.dataplatform.kubernetes.crd.PrometheusOperator.Rule(
                "A", "up == 0", "five minutes", Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new dev.dataplatform.kubernetes.crd.PrometheusOperator.Rule(
                "A", " ", "5m", Map.of(), Map.of()));
    }
}
