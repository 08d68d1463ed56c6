package dev.dataplatform;

import dev.dataplatform.alerts.TenantAlertRules;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.core.Environment;
import dev.dataplatform.core.EnvironmentProfile;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PrometheusRule the program renders, run by Prometheus's own rule engine: {@code promtool check rules} over the
 * rule groups, and {@code promtool test rules} with synthetic series carrying the names and labels StackGres 1.18.6's
 * exporter and collector really produce (docs/upstream-facts.md, "Alerts"). For each rule, one scenario that must fire
 * and one that must stay silent.
 *
 * <p>The rules come from the committed stacks that have tenants (stage, prod) with {@code alerts.tenants.prometheusRules}
 * turned on in a test copy, and from the component directly for shapes no committed stack has (one instance, three).
 *
 * <p><b>Honoured timestamps in promtool.</b> promtool's unit tests write no staleness marker when a series simply stops:
 * a series whose values end (or continue with {@code _}) stays visible to instant selectors for the 5-minute lookback,
 * which is exactly what Prometheus does with StackGres's timestamped samples (its collector sends timestamps, its
 * PodMonitor honours them, so a vanished pod's last sample lingers). The failover and restart scenarios end series that
 * way, never with {@code stale}: a rule that only passes with staleness markers would fail here.
 *
 * <p>Needs {@code promtool} (Debian: {@code apt-get install prometheus}); skipped with a message without it, a failure
 * under {@code CI=true}.
 */
class AlertRulesPromtoolTest {
    static final String RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
    static final Pattern INSTANCES = Pattern.compile("\\) or vector\\(0\\)\\) < (\\d+)$");
    static final Pattern LAG = Pattern.compile("< \\d+\\)\\)\\) > (\\d+)");
    static final Pattern FLOOR = Pattern.compile(", (\\d+)\\)$");

    static String promtool;

    @BeforeAll
    static void findPromtool() {
        var found = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the alert rules through promtool: no promtool on PATH "
                    + "(Debian: apt-get install prometheus)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(found.isPresent(),
                "skipped: no promtool on PATH (Debian: apt-get install prometheus)");
        promtool = found.get().toString();
    }

    /** One rendered rule group and the numbers its scenarios need. */
    record Rendered(String source, String cluster, String namespace, Map<String, Object> group, int instances,
                    int lagSeconds, int forMinutes, int connectionsFloor, int connectionsPercent) {
    }

    @Test
    void everyRenderedRuleParsesFiresOnItsIncidentAndStaysSilentOnAHealthyCluster(@TempDir Path dir) throws Exception {
        var rendered = new ArrayList<Rendered>();
        for (String stack : List.of("stage", "prod")) {
            rendered.addAll(fromStack(stack, dir));
        }
        for (int instances : List.of(1, 3)) {
            var t = EnvironmentProfile.alertThresholds(Environment.DEV);
            var args = new TenantAlertRules.Args("initech", "tenant-initech", t, instances, 20, Map.of(), Map.of());
            rendered.add(fromComponent("component, " + instances + " instance(s)", args));
        }
        assertTrue(rendered.stream().anyMatch(r -> r.source().startsWith("prod")), "prod renders tenant rules");

        var ruleFiles = new ArrayList<String>();
        var testFiles = new ArrayList<String>();
        for (int i = 0; i < rendered.size(); i++) {
            var r = rendered.get(i);
            String rules = "rules-" + i + ".yml";
            Files.writeString(dir.resolve(rules), rulesFile(r.group()), StandardCharsets.UTF_8);
            var scenarios = scenarios(r);
            assertEveryRuleHasBothScenarios(r, scenarios);
            String tests = "tests-" + i + ".yml";
            Files.writeString(dir.resolve(tests), testFile(rules, scenarios), StandardCharsets.UTF_8);
            ruleFiles.add(rules);
            testFiles.add(tests);
        }
        run(dir, Stream.concat(Stream.of(promtool, "check", "rules"), ruleFiles.stream()).toList());
        run(dir, Stream.concat(Stream.of(promtool, "test", "rules"), testFiles.stream()).toList());
    }

    @Test
    void theNaiveSplitBrainRuleWouldPageDuringAFailoverInTheSameModel(@TempDir Path dir) throws Exception {
        // The model is faithful: the count the rule used to be (no freshness, for 1m) fires in the failover scenario.
        var args = new TenantAlertRules.Args("globex", "tenant-globex", EnvironmentProfile.alertThresholds(Environment.PROD),
                2, 80, Map.of(), Map.of());
        var r = fromComponent("naive", args);
        var group = new LinkedHashMap<String, Object>();
        group.put("name", "naive");
        group.put("rules", List.of(Map.of("alert", "PostgresSplitBrain", "for", "1m", "labels", Map.of(),
                "annotations", Map.of(),
                "expr", "count by (cluster_name) (pg_replication_is_replicating{cluster_name=\"globex\"} == 0) > 1")));
        Files.writeString(dir.resolve("naive.yml"), rulesFile(group));
        var failover = failover(r, List.of(alert(Map.of("cluster_name", "globex"), Map.of())));
        Files.writeString(dir.resolve("naive-test.yml"), testFile("naive.yml", List.of(failover)));
        run(dir, List.of(promtool, "test", "rules", "naive-test.yml"));
    }

    // ----- rendering -----

    /**
     * The committed stack with tenant rules turned on, and its tenant shard, planned offline (as {@code plan --stack})
     * from a copy: the platform declares no tenant, the shard declares its tenants' rules with the platform's settings.
     */
    static List<Rendered> fromStack(String stack, Path dir) throws IOException {
        String yaml = Files.readString(DocsLinksTest.ROOT.resolve(StackFile.fileName(stack)));
        int at = yaml.indexOf("      snsTopicArn: ");
        assertTrue(at > 0, stack + " has alerts.aws");
        int lineEnd = yaml.indexOf('\n', yaml.indexOf("maxConnections:", at));
        String on = yaml.substring(0, lineEnd + 1) + "    tenants:\n      prometheusRules: true\n      ruleLabels: {release: monitoring}\n"
                + yaml.substring(lineEnd + 1);
        Path copy = Files.createDirectories(dir.resolve("stack-" + stack));
        Files.copy(DocsLinksTest.ROOT.resolve("Pulumi.yaml"), copy.resolve("Pulumi.yaml"));
        Files.writeString(copy.resolve(StackFile.fileName(stack)), on);
        String shard = stack + "-tenants-01";
        Files.copy(DocsLinksTest.ROOT.resolve(StackFile.fileName(shard)), copy.resolve(StackFile.fileName(shard)));
        var platform = Plan.run(copy, stack);
        assertEquals(List.of(), platform.recording().resources().stream().filter(res -> res.type().equals(RULE)).toList(),
                stack + " (the platform) holds no tenant, so no tenant rule");
        var result = Plan.run(copy, shard, dev.dataplatform.program.PlatformProgram::declare, null, platform.recording().outputs());
        var rules = result.recording().resources().stream().filter(res -> res.type().equals(RULE)).toList();
        assertFalse(rules.isEmpty(), shard + " with tenant rules on in " + stack + " renders PrometheusRules");
        int connectionsPercent = result.config().alerts().orElseThrow().thresholds().connectionsPercent();
        var out = new ArrayList<Rendered>();
        for (PlannedResource res : rules) {
            out.add(rendered(stack + " " + res.name(), (String) res.input("metadata.namespace").orElseThrow(),
                    firstGroup(res.input("spec").orElseThrow()), connectionsPercent));
        }
        return out;
    }

    static Rendered fromComponent(String source, TenantAlertRules.Args args) {
        var spec = TenantAlertRules.spec(args);
        var group = new LinkedHashMap<String, Object>();
        group.put("name", spec.groups().get(0).name());
        var rules = new ArrayList<Map<String, Object>>();
        for (var rule : spec.groups().get(0).rules()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("alert", rule.alert());
            m.put("expr", rule.expr());
            m.put("for", rule.forDuration());
            m.put("labels", rule.labels());
            m.put("annotations", rule.annotations());
            rules.add(m);
        }
        group.put("rules", rules);
        return rendered(source, args.namespace(), group, args.thresholds().connectionsPercent());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> firstGroup(Object spec) {
        var groups = (List<Map<String, Object>>) ((Map<String, Object>) spec).get("groups");
        assertEquals(1, groups.size());
        return groups.get(0);
    }

    @SuppressWarnings("unchecked")
    static Rendered rendered(String source, String namespace, Map<String, Object> group, int connectionsPercent) {
        var rules = (List<Map<String, Object>>) group.get("rules");
        String cluster = (String) ((Map<String, Object>) rules.get(0).get("labels")).get("tenant");
        int instances = number(INSTANCES, expr(rules, "PostgresInstanceMissing"));
        int lag = number(LAG, expr(rules, "PostgresReplicaLag"));
        int floor = number(FLOOR, expr(rules, "PostgresTooManyConnections"));
        String wait = (String) rules.stream().filter(r -> r.get("alert").equals("PostgresReplicaLag")).findFirst().orElseThrow().get("for");
        return new Rendered(source, cluster, namespace, group, instances, lag, Integer.parseInt(wait.replace("m", "")), floor,
                connectionsPercent);
    }

    static String expr(List<Map<String, Object>> rules, String alert) {
        return (String) rules.stream().filter(r -> r.get("alert").equals(alert)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + alert)).get("expr");
    }

    static int number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " in " + text);
        return Integer.parseInt(m.group(1));
    }

    // ----- scenarios -----

    /** A promtool test group: series, then alert expectations (alert name, minute, expected alerts). */
    record Scenario(String name, boolean fires, String alert, List<String> series, List<Integer> evalMinutes,
                    List<Map<String, Object>> expected) {
    }

    static void assertEveryRuleHasBothScenarios(Rendered r, List<Scenario> scenarios) {
        @SuppressWarnings("unchecked")
        var alerts = ((List<Map<String, Object>>) r.group().get("rules")).stream().map(x -> (String) x.get("alert")).toList();
        for (String alert : alerts) {
            assertTrue(scenarios.stream().anyMatch(s -> s.alert().equals(alert) && s.fires()), r.source() + ": no firing scenario for " + alert);
            assertTrue(scenarios.stream().anyMatch(s -> s.alert().equals(alert) && !s.fires()), r.source() + ": no silent scenario for " + alert);
        }
    }

    /** The labels a sample of the exporter carries at Prometheus, for pod {@code i}. */
    static Map<String, String> pod(Rendered r, int i) {
        var labels = new TreeMap<String, String>();
        // The exporter's constant labels (PG_EXPORTER_CONSTANT_LABELS) and its per-DSN server label ...
        labels.put("cluster_name", r.cluster());
        labels.put("namespace", r.namespace());
        labels.put("server", "/var/run/postgresql:5432");
        // ... and the collector's static scrape config labels (job, container, endpoint, instance, pod).
        labels.put("job", r.namespace() + "-" + r.cluster() + "-postgres-exporter");
        labels.put("container", "prometheus-postgres-exporter");
        labels.put("endpoint", "pgexporter");
        labels.put("instance", "10.8.0." + (10 + i) + ":9187");
        labels.put("pod", r.cluster() + "-" + i);
        return labels;
    }

    static String series(String metric, Map<String, String> labels, String values) {
        var sb = new StringBuilder(metric).append('{');
        boolean first = true;
        for (var e : new TreeMap<>(labels).entrySet()) {
            sb.append(first ? "" : ",").append(e.getKey()).append("=\"").append(e.getValue()).append('"');
            first = false;
        }
        return "  - series: '" + sb.append('}') + "'\n    values: '" + values + "'\n";
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        var m = new TreeMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> alert(Map<String, String> labels, Map<String, String> annotations) {
        return Map.of("labels", labels, "annotations", annotations);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> ruleLabels(Rendered r, String alert) {
        return (Map<String, String>) rule(r, alert).get("labels");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> rule(Rendered r, String alert) {
        return ((List<Map<String, Object>>) r.group().get("rules")).stream().filter(x -> x.get("alert").equals(alert))
                .findFirst().orElseThrow();
    }

    /** The alert's labels and annotations as Prometheus renders them for a sample with {@code labels}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> expected(Rendered r, String alert, Map<String, String> labels) {
        var all = new TreeMap<String, String>(labels);
        all.putAll(ruleLabels(r, alert));
        var annotations = new TreeMap<String, String>();
        ((Map<String, String>) rule(r, alert).get("annotations")).forEach((k, v) -> {
            String text = v;
            for (var e : labels.entrySet()) {
                text = text.replace("{{ $labels." + e.getKey() + " }}", e.getValue());
            }
            annotations.put(k, text);
        });
        return alert(all, annotations);
    }

    /** Healthy series of pod i over {@code minutes}: up, primary (i == 0) or streaming replica, lag 0, a full pool. */
    static List<String> healthy(Rendered r, int i, int minutes) {
        var p = pod(r, i);
        var out = new ArrayList<String>();
        String n = "x" + minutes;
        out.add(series("pg_up", p, "1" + n));
        out.add(series("pg_replication_is_replicating", p, (i == 0 ? "0" : "1") + n));
        out.add(series("pg_replication_lag", p, "0" + n));
        if (i == 0) {
            for (int replica = 1; replica < r.instances(); replica++) {
                out.add(series("pg_replication_status_lag_size", replicaRow(r, p, replica), "0" + n));
            }
        }
        return out;
    }

    static Map<String, String> replicaRow(Rendered r, Map<String, String> primary, int replica) {
        return with(primary, "application_name", r.cluster() + "-" + replica, "client_addr", "10.8.0." + (10 + replica),
                "state", "streaming");
    }

    static List<String> healthyCluster(Rendered r, int minutes) {
        var out = new ArrayList<String>();
        for (int i = 0; i < r.instances(); i++) {
            out.addAll(healthy(r, i, minutes));
        }
        return out;
    }

    static List<Scenario> scenarios(Rendered r) {
        int end = 45;
        int late = 40;
        var s = new ArrayList<Scenario>();
        var p0 = pod(r, 0);

        // PostgresInstanceDown: PostgreSQL stops answering the exporter, which keeps reporting pg_up 0.
        s.add(new Scenario("postgresql down", true, "PostgresInstanceDown", List.of(series("pg_up", p0, "1x5 0x40")),
                List.of(late), List.of(expected(r, "PostgresInstanceDown", without(p0)))));
        // A pod whose PostgreSQL stopped during its shutdown: one pg_up 0, then the pod is gone. Without a staleness
        // marker that 0 stays visible for 5 minutes.
        s.add(new Scenario("pod deleted after one pg_up 0 (timestamped, no staleness marker)", false, "PostgresInstanceDown",
                List.of(series("pg_up", p0, "1x5 0"), series("pg_up", pod(r, 1), "1x" + end)),
                List.of(6, 7, 8, 9, 10, 11, 12), List.of()));

        // PostgresInstanceMissing: the last instance's exporter never started (no pg_up series at all).
        var missing = new ArrayList<String>();
        for (int i = 0; i < r.instances() - 1; i++) {
            missing.add(series("pg_up", pod(r, i), "1x" + end));
        }
        if (missing.isEmpty()) {
            missing.add(series("pg_up", with(p0, "cluster_name", "other-tenant"), "1x" + end));
        }
        s.add(new Scenario("an instance whose exporter never started", true, "PostgresInstanceMissing", missing,
                List.of(late), List.of(expected(r, "PostgresInstanceMissing", Map.of()))));
        // A restart: pod 0 comes back with a new IP (a new instance label) two minutes later.
        var restart = new ArrayList<String>();
        for (int i = 1; i < r.instances(); i++) {
            restart.add(series("pg_up", pod(r, i), "1x" + end));
        }
        restart.add(series("pg_up", p0, "1x10"));
        restart.add(series("pg_up", with(p0, "instance", "10.8.1.10:9187"), "_x12 1x30"));
        s.add(new Scenario("a pod restart with a new IP", false, "PostgresInstanceMissing", restart,
                List.of(5, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, late), List.of()));

        // PostgresSplitBrain: two instances keep reporting that they are not in recovery.
        s.add(new Scenario("two primaries", true, "PostgresSplitBrain",
                List.of(series("pg_replication_is_replicating", p0, "0x" + end),
                        series("pg_replication_is_replicating", pod(r, 1), "0x" + end)),
                List.of(late), List.of(expected(r, "PostgresSplitBrain", Map.of()))));
        s.add(failover(r, List.of()));

        // PostgresReplicaLag.
        if (r.instances() > 1) {
            // A replica cut off from the primary: its lag reads 0 (replay caught up with what it received), and its row
            // vanishes from the primary's pg_stat_replication (the last sample lingers, timestamped).
            var cut = new ArrayList<String>();
            for (int i = 0; i < r.instances(); i++) {
                var p = pod(r, i);
                cut.add(series("pg_up", p, "1x" + end));
                cut.add(series("pg_replication_is_replicating", p, (i == 0 ? "0" : "1") + "x" + end));
                cut.add(series("pg_replication_lag", p, "0x" + end));
            }
            for (int replica = 1; replica < r.instances(); replica++) {
                cut.add(series("pg_replication_status_lag_size", replicaRow(r, p0, replica), replica == 1 ? "0x5" : "0x" + end));
            }
            s.add(new Scenario("a disconnected replica (lag reads 0)", true, "PostgresReplicaLag", cut,
                    List.of(late), List.of(expected(r, "PostgresReplicaLag", Map.of()))));
        }
        var behind = new ArrayList<>(healthyCluster(r, end));
        behind.removeIf(x -> x.contains("pg_replication_lag{") && x.contains("pod=\"" + r.cluster() + "-" + (r.instances() - 1) + "\""));
        behind.add(series("pg_replication_lag", pod(r, r.instances() - 1), "0x5 " + (r.lagSeconds() + 60) + "x40"));
        s.add(new Scenario("a replica behind by more than the bar", true, "PostgresReplicaLag", behind,
                List.of(late), List.of(expected(r, "PostgresReplicaLag", Map.of()))));
        s.add(new Scenario("a healthy cluster", false, "PostgresReplicaLag", healthyCluster(r, end),
                List.of(5, 20, late), List.of()));

        // PostgresTooManyConnections: max_connections 10 above the floor, so the floor (a full pool) is the bar.
        int max = r.connectionsFloor() + 10;
        var conns = new ArrayList<String>();
        conns.add(series("pg_settings_max_connections", p0, max + "x" + end));
        var active = with(p0, "datname", "app", "state", "active", "usename", "app", "application_name", "",
                "backend_type", "client backend", "wait_event_type", "", "wait_event", "");
        var idle = with(active, "state", "idle");
        int above = Math.max(r.connectionsFloor(), (int) Math.floor(max * r.connectionsPercent() / 100.0)) + 1;
        conns.add(series("pg_stat_activity_count", active, (above - 3) + "x" + end));
        conns.add(series("pg_stat_activity_count", idle, "3x" + end));
        s.add(new Scenario("connections around the pooler", true, "PostgresTooManyConnections", conns, List.of(late),
                List.of(expected(r, "PostgresTooManyConnections", Map.of("instance", p0.get("instance"))))));
        var full = new ArrayList<String>();
        full.add(series("pg_settings_max_connections", p0, max + "x" + end));
        full.add(series("pg_stat_activity_count", active, (r.connectionsFloor() - 3) + "x" + end));
        full.add(series("pg_stat_activity_count", idle, "3x" + end));
        full.add(series("pgbouncer_show_pools_cl_waiting", pool(p0), "0x" + end));
        s.add(new Scenario("a full pool (pool plus overhead), nobody waiting", false, "PostgresTooManyConnections", full,
                List.of(5, 20, late), List.of()));

        // PgBouncerWaitingClients.
        s.add(new Scenario("clients waiting for a server connection", true, "PgBouncerWaitingClients",
                List.of(series("pgbouncer_show_pools_cl_waiting", pool(p0), "0x5 4x40")), List.of(late),
                List.of(expected(r, "PgBouncerWaitingClients", Map.of("instance", p0.get("instance"))))));
        s.add(new Scenario("a full pool, nobody waiting", false, "PgBouncerWaitingClients", full, List.of(5, 20, late), List.of()));
        return s;
    }

    static Map<String, String> pool(Map<String, String> pod) {
        return with(pod, "database", "app", "user", "app", "pool_mode", "session");
    }

    static Map<String, String> without(Map<String, String> labels) {
        return new TreeMap<>(labels);
    }

    /**
     * A failover with timestamped samples: the primary (pod 0) dies at minute 10 after reporting is_replicating 0; pod 1
     * is promoted and reports 0 from minute 11; pod 0 comes back as a replica with a new IP at minute 14. The dead
     * primary's last sample has no staleness marker and stays visible until minute 15.
     */
    static Scenario failover(Rendered r, List<Map<String, Object>> expected) {
        var p0 = pod(r, 0);
        var series = List.of(
                series("pg_replication_is_replicating", p0, "0x10"),
                series("pg_replication_is_replicating", pod(r, 1), "1x10 0x34"),
                series("pg_replication_is_replicating", with(p0, "instance", "10.8.1.10:9187"), "_x14 1x30"));
        return new Scenario("failover with timestamped samples", !expected.isEmpty(), "PostgresSplitBrain", series,
                expected.isEmpty() ? List.of(9, 10, 11, 12, 13, 14, 15, 16, 17, 20) : List.of(14), expected);
    }

    // ----- files -----

    static String q(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @SuppressWarnings("unchecked")
    static String rulesFile(Map<String, Object> group) {
        var sb = new StringBuilder("groups:\n- name: ").append(q((String) group.get("name"))).append("\n  rules:\n");
        for (var rule : (List<Map<String, Object>>) group.get("rules")) {
            sb.append("  - alert: ").append(q((String) rule.get("alert"))).append('\n');
            sb.append("    expr: ").append(q((String) rule.get("expr"))).append('\n');
            sb.append("    for: ").append(q((String) rule.get("for"))).append('\n');
            for (String key : List.of("labels", "annotations")) {
                var map = (Map<String, String>) rule.get(key);
                sb.append("    ").append(key).append(":").append(map.isEmpty() ? " {}" : "").append('\n');
                new TreeMap<>(map).forEach((k, v) -> sb.append("      ").append(k).append(": ").append(q(v)).append('\n'));
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static String testFile(String rules, List<Scenario> scenarios) {
        var sb = new StringBuilder("rule_files: [").append(rules).append("]\nevaluation_interval: 30s\ntests:\n");
        for (var s : scenarios) {
            sb.append("# ").append(s.alert()).append(s.fires() ? " fires: " : " stays silent: ").append(s.name()).append('\n');
            sb.append("- interval: 1m\n  input_series:\n");
            s.series().forEach(sb::append);
            sb.append("  alert_rule_test:\n");
            for (int minute : s.evalMinutes()) {
                sb.append("  - eval_time: ").append(minute).append("m\n    alertname: ").append(s.alert()).append('\n');
                if (s.expected().isEmpty()) {
                    sb.append("    exp_alerts: []\n");
                    continue;
                }
                sb.append("    exp_alerts:\n");
                for (var a : s.expected()) {
                    sb.append("    - exp_labels:\n");
                    ((Map<String, String>) a.get("labels")).forEach((k, v) -> sb.append("        ").append(k).append(": ").append(q(v)).append('\n'));
                    var ann = (Map<String, String>) a.get("annotations");
                    sb.append("      exp_annotations:").append(ann.isEmpty() ? " {}" : "").append('\n');
                    ann.forEach((k, v) -> sb.append("        ").append(k).append(": ").append(q(v)).append('\n'));
                }
            }
        }
        return sb.toString();
    }

    static void run(Path dir, List<String> command) throws Exception {
        var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        if (process.exitValue() != 0) {
            var files = new StringBuilder();
            try (var list = Files.list(dir)) {
                for (Path f : list.filter(Files::isRegularFile).sorted().toList()) {
                    files.append("\n--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
                }
            }
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output + files);
        }
    }
}
