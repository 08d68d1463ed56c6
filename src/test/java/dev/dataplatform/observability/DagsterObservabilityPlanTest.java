package dev.dataplatform.observability;

import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed stacks' plans: Marquez's config, the pinned versions, the Auth Proxy paths. */
class DagsterObservabilityPlanTest {
    static final Path ROOT = Path.of("..");
    static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");

    static Plan.Result plan(String stack) {
        var plan = dev.dataplatform.program.CommittedPlans.of(stack);
        assertTrue(plan.recording().succeeded(), () -> plan.recording().exceptions().toString());
        return plan;
    }

    static PlannedResource resource(Plan.Result plan, String type, String name) {
        return plan.recording().resources().stream().filter(r -> r.type().equals(type) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + name));
    }

    static String connectionName(Plan.Result plan) {
        var c = plan.config().cloudSql().orElseThrow();
        return CloudSqlProxy.connectionName(c.project(), c.region(), c.instanceName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void marquezReadsItsConfigFromTheConfigMapAndEveryDatabaseSettingFromItsEnvironment(String stack) {
        var plan = plan(stack);
        var deployment = resource(plan, "kubernetes:apps/v1:Deployment", "observability-marquez");
        var container = (Map<?, ?>) deployment.input("spec.template.spec.containers.0").orElseThrow();
        var env = new TreeMap<String, Object>();
        for (Object e : (List<?>) container.get("env")) {
            var entry = (Map<?, ?>) e;
            env.put((String) entry.get("name"), entry.containsKey("value") ? entry.get("value") : entry.get("valueFrom"));
        }
        // MARQUEZ_CONFIG names the file the ConfigMap volume mounts.
        var mount = (Map<?, ?>) ((List<?>) container.get("volumeMounts")).stream()
                .filter(m -> "config".equals(((Map<?, ?>) m).get("name"))).findFirst().orElseThrow();
        assertEquals("marquez-config", deployment.input("spec.template.spec.volumes.0.configMap.name").orElseThrow());
        var configMap = resource(plan, "kubernetes:core/v1:ConfigMap", "observability-marquez-config");
        assertEquals("marquez-config", configMap.input("metadata.name").orElseThrow());
        var data = (Map<?, ?>) configMap.input("data").orElseThrow();
        assertEquals(1, data.size());
        String file = (String) data.keySet().iterator().next();
        assertEquals(mount.get("mountPath") + "/" + file, env.get("MARQUEZ_CONFIG"));
        String text = (String) data.get(file);

        // Every ${VAR} in the file is set on the container; the password only from the Secret.
        var referenced = new TreeSet<String>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        assertEquals(new TreeSet<>(List.of("POSTGRES_DB", "POSTGRES_HOST", "POSTGRES_PASSWORD", "POSTGRES_PORT",
                "POSTGRES_SSLMODE", "POSTGRES_USER")), referenced);
        assertTrue(env.keySet().containsAll(referenced), env.keySet() + " lacks some of " + referenced);
        assertEquals(Map.of("secretKeyRef", Map.of("name", "marquez-postgresql", "key", "password")), env.get("POSTGRES_PASSWORD"));

        // Substituted as Marquez does at start-up, the config is the stack's database through the proxy.
        var values = new TreeMap<String, String>();
        env.forEach((k, v) -> values.put(k, v instanceof String s ? s : "from-secret"));
        Map<?, ?> config = new Yaml().load(VARIABLE.matcher(text).replaceAll(r -> Matcher.quoteReplacement(values.get(r.group(1)))));
        var marquez = plan.config().observability().orElseThrow().marquez();
        assertEquals("jdbc:postgresql://127.0.0.1:" + CloudSqlProxy.PORT + "/" + marquez.database() + "?sslmode=disable",
                ((Map<?, ?>) config.get("db")).get("url"));
        assertEquals(marquez.user(), ((Map<?, ?>) config.get("db")).get("user"));
        assertEquals("from-secret", ((Map<?, ?>) config.get("db")).get("password"));
        assertEquals(Map.of("enabled", false), config.get("search"), "search is off (no OpenSearch)");
        assertFalse(text.contains("marquez.dev.yml") || text.contains("password: marquez"));

        // The database is reached through the Auth Proxy native sidecar, for this stack's instance.
        assertEquals("cloud-sql-proxy", deployment.input("spec.template.spec.initContainers.0.name").orElseThrow());
        assertEquals("Always", deployment.input("spec.template.spec.initContainers.0.restartPolicy").orElseThrow());
        var args = (List<?>) deployment.input("spec.template.spec.initContainers.0.args").orElseThrow();
        assertTrue(args.contains("--private-ip") && args.get(args.size() - 1).equals(connectionName(plan)), args.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void dagsterOnCloudSqlReachesItThroughTheAuthProxyInEveryPodThatOpensTheDatabase(String stack) {
        var plan = plan(stack);
        var release = resource(plan, "kubernetes:helm.sh/v3:Release", "dagster");
        assertEquals("127.0.0.1", release.input("values.postgresql.postgresqlHost").orElseThrow());
        assertEquals(Map.of("sslmode", "disable"), release.input("values.postgresql.postgresqlParams").orElseThrow());
        for (String path : List.of("dagsterWebserver.extraPrependedInitContainers.0", "dagsterDaemon.extraPrependedInitContainers.0",
                "runLauncher.config.customRunLauncher.config.run_k8s_config.pod_spec_config.init_containers.0",
                "dagster-user-deployments.deployments.0.initContainers.0")) {
            var args = (List<?>) release.input("values." + path + ".args").orElseThrow(() -> new AssertionError(path));
            assertEquals(connectionName(plan), args.get(args.size() - 1), path);
            assertEquals("Always", release.input("values." + path + ".restartPolicy").orElseThrow(), path);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void thePlansRunThePinnedVersions(String stack) {
        var plan = plan(stack);
        var collector = resource(plan, "kubernetes:helm.sh/v3:Release", "observability-collector");
        assertEquals(PinnedVersions.COLLECTOR_CHART.version(), collector.inputs().get("version"));
        assertEquals(PinnedVersions.COLLECTOR_IMAGE.version(), collector.input("values.image.tag").orElseThrow());
        assertEquals(PinnedVersions.DAGSTER_CHART.version(),
                resource(plan, "kubernetes:helm.sh/v3:Release", "dagster").inputs().get("version"));
        var images = plan.recording().resources().stream().filter(r -> r.type().equals("kubernetes:apps/v1:Deployment"))
                .map(r -> r.input("spec.template.spec.containers.0.image").orElseThrow()).toList();
        var expected = new ArrayList<String>();
        if (stack.equals("dev")) {
            expected.add(PinnedVersions.JAEGER_IMAGE.image());
        }
        if (plan.config().observability().orElseThrow().marquez() != null) {
            expected.add(PinnedVersions.MARQUEZ_IMAGE.image());
        }
        if (plan.config().dagster().orElseThrow().authProxy() != null) {
            expected.add(PinnedVersions.OAUTH2_PROXY_IMAGE.image());
        }
        if (plan.config().icebergCatalog().isPresent()) {
            expected.add(dev.dataplatform.iceberg.PolarisFacts.SERVER_IMAGE + ":" + plan.config().icebergCatalog().get().version());
        }
        assertEquals(new TreeSet<>(expected), new TreeSet<>(images));
    }

    /** The versions table of docs/dagster-observability.md lists exactly the pins, with range and date. */
    @Test
    void theDocsVersionsTableIsThePinnedVersions() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/dagster-observability.md"));
        int start = doc.indexOf("## Versions");
        assertTrue(start >= 0, "docs/dagster-observability.md has no '## Versions' section");
        int end = doc.indexOf("\n## ", start + 1);
        var rows = new ArrayList<List<String>>();
        for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| Component") && !line.startsWith("|---")) {
                var cells = new ArrayList<String>();
                for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                    cells.add(cell.strip().replace("`", ""));
                }
                rows.add(cells);
            }
        }
        var expected = PinnedVersions.ALL.stream().map(p -> List.of(p.component(), p.kind(), p.name(), p.version(), p.range(),
                p.checked())).toList();
        assertEquals(expected, rows.stream().map(r -> List.of(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(6))).toList());
    }
}
