package dev.dataplatform.dagster;

import dev.dataplatform.HelmTemplate;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.observability.PinnedVersions;
import dev.dataplatform.schemas.SchemaCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.dataplatform.HelmTemplate.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders the real dagster chart (the conformance fixture charts/dagster-1.13-master.tgz, with its dagster-user-deployments
 * subchart) with real Helm (helm-java) from each stack's values exactly as the plan declares them, and checks what the
 * cluster and Dagster would get: run pods' size, Secret references, security contexts, the instance storage, the
 * webserver's port, the code servers' database path and the pinned default images. Helm validates the values against
 * the chart's schemas while rendering (their remote Kubernetes $refs resolved to the local definitions file). Each stack's
 * plan is the one shared by the test JVM ({@code CommittedPlans}), rendered once for the whole class.
 */
class DagsterChartRenderTest {
    static final Path ROOT = Path.of("..");
    static final String ARCHIVE = "charts/dagster-1.13-master.tgz";
    static final List<String> STACKS = List.of("dev", "stage", "prod");
    static final String EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
    static final String POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

    @TempDir
    static Path tmp;
    static Path chart;
    /** stack -> what the plan declared and what Helm rendered. */
    static final Map<String, Rendered> RENDERED = new HashMap<>();

    record Rendered(List<PlannedResource> resources, PlannedResource release, List<Map<String, Object>> documents,
                    Map<String, Object> instance) {
        List<Map<String, Object>> ofKind(String kind) {
            return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        }

        Map<String, Object> named(String kind, String name) {
            return ofKind(kind).stream().filter(d -> name.equals(at(d, "metadata.name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered; have "
                            + ofKind(kind).stream().map(d -> at(d, "metadata.name")).toList()));
        }

        /** Every pod template rendered (Deployments, Jobs, ...), by "Kind/name". */
        Map<String, Map<?, ?>> pods() {
            var pods = new java.util.TreeMap<String, Map<?, ?>>();
            for (var d : documents) {
                if (at(d, "spec.template.spec") instanceof Map<?, ?> pod) {
                    pods.put(d.get("kind") + "/" + at(d, "metadata.name"), pod);
                }
            }
            return pods;
        }
    }

    @BeforeAll
    static void renderEveryStack() throws IOException {
        chart = ChartFixture.unpack(ARCHIVE, "dagster", tmp.resolve("chart"));
        for (String stack : STACKS) {
            var plan = dev.dataplatform.program.CommittedPlans.of(stack);
            assertTrue(plan.recording().succeeded(), () -> plan.recording().exceptions().toString());
            var resources = plan.recording().resources();
            var release = resources.stream()
                    .filter(r -> r.type().equals("kubernetes:helm.sh/v3:Release") && "dagster".equals(r.inputs().get("chart")))
                    .findFirst().orElseThrow(() -> new AssertionError("no dagster release in " + stack));
            var documents = HelmTemplate.render(chart, release, release.inputs().get("values"));
            var configMap = documents.stream().filter(d -> "ConfigMap".equals(d.get("kind"))
                    && at(d, "data") instanceof Map<?, ?> data && data.containsKey("dagster.yaml")).findFirst()
                    .orElseThrow(() -> new AssertionError("no instance ConfigMap rendered for " + stack));
            Map<String, Object> instance = new Yaml().load((String) ((Map<?, ?>) configMap.get("data")).get("dagster.yaml"));
            RENDERED.put(stack, new Rendered(resources, release, documents, instance));
        }
    }

    static List<Map<?, ?>> containers(Map<?, ?> pod) {
        var containers = new ArrayList<Map<?, ?>>();
        for (String kind : List.of("initContainers", "containers")) {
            if (pod.get(kind) instanceof List<?> list) {
                list.forEach(c -> containers.add((Map<?, ?>) c));
            }
        }
        return containers;
    }

    static Map<?, ?> runLauncher(Rendered r) {
        return (Map<?, ?>) r.instance().get("run_launcher");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void runPodsGetExactlyTheConfiguredSizeAndNoCodeLocationOverridesIt(String stack) {
        var r = RENDERED.get(stack);
        var launcher = runLauncher(r);
        assertEquals("dagster_k8s", launcher.get("module"));
        assertEquals("K8sRunLauncher", launcher.get("class"));
        var config = (Map<?, ?>) launcher.get("config");
        String memory = DagsterStack.workerMemoryGiB(dev.dataplatform.core.Environment.valueOf(stack.toUpperCase())) + "Gi";
        assertEquals(memory, at(config, "resources.limits.memory"), stack);
        assertEquals(memory, at(config, "resources.requests.memory"), stack);
        assertNotNull(at(config, "resources.limits.cpu"));
        // DuckDB's limit sits below the pod's memory.
        var duck = ((List<?>) config.get("env_vars")).stream().map(String::valueOf).filter(v -> v.startsWith("DUCKDB_MEMORY_LIMIT="))
                .findFirst().orElseThrow();
        int duckGiB = Integer.parseInt(duck.substring("DUCKDB_MEMORY_LIMIT=".length()).replace("GiB", ""));
        assertTrue(duckGiB < Integer.parseInt(memory.replace("Gi", "")), duck + " vs " + memory);
        assertEquals(r.release().inputs().get("namespace"), config.get("job_namespace"));
        // The instance ConfigMap the run pods mount is the one the chart renders.
        String instanceMap = (String) config.get("instance_config_map");
        r.named("ConfigMap", instanceMap);

        // A code server passes a container context into its runs only if the chart gives it one; dagster-k8s would let
        // its resources override the run launcher's. None is passed.
        var codeServers = r.ofKind("Deployment").stream().filter(d -> "user-deployments".equals(at(d, "metadata.labels.component"))).toList();
        assertFalse(codeServers.isEmpty(), "the stacks deploy a code location");
        for (var deployment : codeServers) {
            for (var container : containers((Map<?, ?>) at(deployment, "spec.template.spec"))) {
                if (container.get("env") instanceof List<?> env) {
                    for (Object e : env) {
                        String name = String.valueOf(((Map<?, ?>) e).get("name"));
                        assertFalse(name.equals("DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT") || name.equals("DAGSTER_CONTAINER_CONTEXT"),
                                at(deployment, "metadata.name") + " passes a container context into runs: " + e);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void noPodRefersToASecretTheStackDoesNotCreate(String stack) {
        var r = RENDERED.get(stack);
        var created = new TreeSet<String>();
        r.resources().stream().filter(x -> x.type().equals(EXTERNAL_SECRET))
                .forEach(x -> created.add(String.valueOf(x.input("spec.target.name").orElse(x.input("metadata.name").orElseThrow()))));
        r.ofKind("Secret").forEach(s -> created.add(String.valueOf(at(s, "metadata.name"))));
        var referenced = new TreeSet<String>();
        r.pods().forEach((name, pod) -> {
            for (var container : containers(pod)) {
                if (container.get("env") instanceof List<?> env) {
                    env.forEach(e -> {
                        if (at(e, "valueFrom.secretKeyRef") instanceof Map<?, ?> ref && !Boolean.TRUE.equals(ref.get("optional"))) {
                            referenced.add(String.valueOf(ref.get("name")));
                        }
                    });
                }
                if (container.get("envFrom") instanceof List<?> from) {
                    from.forEach(e -> {
                        if (at(e, "secretRef") instanceof Map<?, ?> ref && !Boolean.TRUE.equals(ref.get("optional"))) {
                            referenced.add(String.valueOf(ref.get("name")));
                        }
                    });
                }
            }
        });
        // Run pods: dagster-k8s adds a non-optional secretKeyRef for postgres_password_secret when it is set.
        var config = (Map<?, ?>) runLauncher(r).get("config");
        if (config.get("postgres_password_secret") instanceof String secret) {
            referenced.add(secret);
        }
        assertTrue(created.containsAll(referenced), stack + ": references " + referenced + " but creates only " + created);
        boolean iam = at(r.instance(), "run_storage.config.auth_provider") != null;
        assertEquals(!iam, config.containsKey("postgres_password_secret"), stack + ": a password Secret for runs only without IAM login");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyContainerHasLimitsAndARestrictedSecurityContextIncludingRunPods(String stack) {
        var r = RENDERED.get(stack);
        var pods = r.pods();
        assertFalse(pods.isEmpty());
        pods.forEach((name, pod) -> {
            for (var container : containers(pod)) {
                String where = stack + " " + name + " " + container.get("name");
                assertRestricted(where, container, pod, "securityContext", "securityContext");
                for (String key : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
                    assertNotNull(at(container, "resources." + key), where + " has no resources." + key);
                }
            }
        });
        // Run pods: the container's context and resources from the run launcher, the pod's from pod_spec_config.
        var config = (Map<?, ?>) runLauncher(r).get("config");
        var podSpec = (Map<?, ?>) at(config, "run_k8s_config.pod_spec_config");
        var runContainer = Map.of("securityContext", config.get("security_context"), "resources", config.get("resources"));
        assertRestricted(stack + " run pod", runContainer, Map.of("securityContext", podSpec.get("security_context")),
                "securityContext", "securityContext");
        if (podSpec.get("init_containers") instanceof List<?> inits) {
            for (Object init : inits) {
                assertRestricted(stack + " run pod init", (Map<?, ?>) init, Map.of("securityContext", podSpec.get("security_context")),
                        "securityContext", "securityContext");
                assertNotNull(at(init, "resources.limits.memory"));
            }
        }
    }

    /**
     * The chart (1.13) writes {@code automountServiceAccountToken: true} into its webserver, daemon and user-code pod
     * templates, with no value to change it, and {@code false} on the ServiceAccount it can create. The daemon's
     * K8sRunLauncher creates run Jobs and the webserver terminates runs through the same launcher; code servers keep
     * the chart's setting. docs/security.md records these as the pods that keep the token.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void onlyTheChartsDagsterPodsKeepTheApiToken(String stack) {
        var pods = RENDERED.get(stack).pods();
        assertFalse(pods.isEmpty());
        pods.forEach((name, pod) -> {
            assertEquals(true, pod.get("automountServiceAccountToken"), stack + " " + name);
            assertTrue(name.startsWith("Deployment/"), stack + " " + name + ": only Deployments (webserver, daemon, code servers)");
        });
    }

    static void assertRestricted(String where, Map<?, ?> container, Map<?, ?> pod, String containerKey, String podKey) {
        assertEquals(false, at(container, containerKey + ".allowPrivilegeEscalation"), where);
        assertEquals(List.of("ALL"), at(container, containerKey + ".capabilities.drop"), where);
        Object nonRoot = at(container, containerKey + ".runAsNonRoot") != null ? at(container, containerKey + ".runAsNonRoot")
                : at(pod, podKey + ".runAsNonRoot");
        assertEquals(true, nonRoot, where);
        Object seccomp = at(container, containerKey + ".seccompProfile.type") != null
                ? at(container, containerKey + ".seccompProfile.type") : at(pod, podKey + ".seccompProfile.type");
        assertEquals("RuntimeDefault", seccomp, where);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theInstanceStorageLogsInAsTheStackIntends(String stack) {
        var r = RENDERED.get(stack);
        var db = (Map<?, ?>) at(r.instance(), "run_storage.config.postgres_db");
        assertNotNull(db, "dagster.yaml has postgres run storage");
        var login = at(r.instance(), "run_storage.config");
        for (String storage : List.of("event_log_storage", "schedule_storage")) {
            assertEquals(login, at(r.instance(), storage + ".config"), storage + " logs in like run_storage");
        }
        var values = (Map<?, ?>) r.release().inputs().get("values");
        Object provider = at(values, "postgresql.authProvider.type");
        if (provider != null) {
            assertEquals(Map.of(provider, provider.equals("aws_wif") ? Map.of("region", at(values, "postgresql.authProvider.awsRegion"))
                    : Map.of()), at(login, "auth_provider"), stack);
            assertNull(db.get("password"), stack + ": IAM login reads no password");
        } else {
            assertEquals(Map.of("env", "DAGSTER_PG_PASSWORD"), db.get("password"), stack);
            assertNull(at(login, "auth_provider"));
        }
        assertEquals(at(values, "postgresql.postgresqlDatabase"), db.get("db_name"));
        assertEquals(((Number) at(values, "postgresql.service.port")).intValue(), ((Number) db.get("port")).intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theWebserverListensOnAnUnprivilegedPortAndOnlyTheUiPodsAreAdmittedFromTheIngress(String stack) {
        var r = RENDERED.get(stack);
        var release = (String) r.release().inputs().get("name");
        var service = r.named("Service", release + "-dagster-webserver");
        int port = (Integer) at(service, "spec.ports.0.port");
        assertTrue(port >= 1024, stack + ": webserver Service port " + port);
        assertEquals(DagsterStack.WEBSERVER_PORT, port);
        var webserver = r.ofKind("Deployment").stream().filter(d -> "dagster-webserver".equals(at(d, "spec.template.metadata.labels.component")))
                .findFirst().orElseThrow();
        var container = containers((Map<?, ?>) at(webserver, "spec.template.spec")).stream()
                .filter(c -> "dagster".equals(c.get("name"))).findFirst().orElseThrow();
        assertEquals(port, at(container, "ports.0.containerPort"));
        assertTrue(String.valueOf(at(container, "command.2")).contains("-p " + port), "dagster-webserver binds " + port);
        // The ingress rule (if any) selects the UI's pods only: the webserver's or the proxy's.
        var podLabels = (Map<?, ?>) at(webserver, "spec.template.metadata.labels");
        r.resources().stream().filter(x -> x.type().equals(POLICY))
                .filter(x -> r.release().inputs().get("namespace").equals(x.input("metadata.namespace").orElse(null)))
                .filter(x -> x.input("spec.ingress").filter(l -> l instanceof List<?> list && !list.isEmpty()
                        && at(list.get(0), "from.0.namespaceSelector") != null).isPresent())
                .forEach(policy -> {
                    var selector = (Map<?, ?>) policy.input("spec.podSelector.matchLabels")
                            .orElseThrow(() -> new AssertionError(policy.name() + " admits the ingress to every pod"));
                    int allowed = ((Number) policy.input("spec.ingress.0.ports.0.port").orElseThrow()).intValue();
                    if (allowed == port) {
                        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), selector + " selects no webserver pod");
                    } else {
                        assertEquals(DagsterStack.AUTH_PROXY_PORT, allowed, policy.name());
                        assertEquals(DagsterStack.authProxyLabels(), selector);
                    }
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void codeServersReachTheInstanceDatabaseTheWayTheDaemonDoes(String stack) {
        var r = RENDERED.get(stack);
        var db = (Map<?, ?>) at(r.instance(), "run_storage.config.postgres_db");
        var daemon = r.ofKind("Deployment").stream().filter(d -> String.valueOf(at(d, "metadata.name")).endsWith("-daemon"))
                .findFirst().orElseThrow();
        var codeServers = r.ofKind("Deployment").stream().filter(d -> "user-deployments".equals(at(d, "metadata.labels.component"))).toList();
        boolean proxied = "127.0.0.1".equals(String.valueOf(db.get("hostname")).replace("\"", ""));
        for (var pod : java.util.stream.Stream.concat(java.util.stream.Stream.of(daemon), codeServers.stream())
                .map(d -> (Map<?, ?>) at(d, "spec.template.spec")).toList()) {
            var proxy = containers(pod).stream().filter(c -> String.valueOf(c.get("image")).contains("cloud-sql-proxy")).toList();
            if (proxied) {
                assertEquals(1, proxy.size(), stack + ": the instance is at 127.0.0.1, so every pod that opens it runs the Auth Proxy");
                assertEquals("Always", proxy.get(0).get("restartPolicy"), "a native sidecar");
                assertTrue(((List<?>) pod.get("initContainers")).indexOf(proxy.get(0)) == 0, "the proxy starts first");
            } else {
                assertTrue(proxy.isEmpty());
            }
        }
        if (!proxied) {
            // Direct: egress to the database port is open to every pod of the namespace (the code servers included).
            var egress = r.resources().stream().filter(x -> x.type().equals(POLICY) && x.name().endsWith("allow-database")
                        && r.release().inputs().get("namespace").equals(x.input("metadata.namespace").orElse(null))).findFirst()
                    .orElseThrow();
            assertEquals(Map.of(), egress.input("spec.podSelector").orElseThrow());
            assertEquals(db.get("port"), ((Number) egress.input("spec.egress.0.ports.0.port").orElseThrow()).intValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theChartsDefaultImagesArePinnedAndNoImageFloats(String stack) {
        var r = RENDERED.get(stack);
        var images = new TreeSet<String>();
        var byContainer = new HashMap<String, String>();
        r.pods().forEach((name, pod) -> containers(pod).forEach(c -> {
            images.add(String.valueOf(c.get("image")));
            byContainer.put(String.valueOf(c.get("name")), String.valueOf(c.get("image")));
        }));
        assertEquals(PinnedVersions.DAGSTER_CHECK_DB_READY_IMAGE.image(), byContainer.get("check-db-ready"));
        String init = byContainer.entrySet().stream().filter(e -> e.getKey().startsWith("init-user-deployment-"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        assertEquals(PinnedVersions.DAGSTER_BUSYBOX_IMAGE.image(), init);
        var values = (Map<?, ?>) r.release().inputs().get("values");
        assertEquals(PinnedVersions.DAGSTER_CHECK_DB_READY_IMAGE.version(), at(values, "postgresql.image.tag"), "stated in the values");
        assertEquals(PinnedVersions.DAGSTER_BUSYBOX_IMAGE.version(), at(values, "busybox.image.tag"), "stated in the values");
        for (String image : images) {
            int colon = image.lastIndexOf(':');
            assertTrue(colon > image.lastIndexOf('/') && !image.endsWith(":latest"), stack + ": floating image " + image);
        }
    }

    /** plan --schemas over the unpacked chart (remote $refs, local definitions beside it) validates every stack's values. */
    @Test
    void theSchemaCatalogValidatesTheValuesOfferingTheLocalDefinitionsInsteadOfTheNetwork() throws IOException {
        Path dir = tmp.resolve("schemas");
        Files.createDirectories(dir.resolve("charts/kubernetes-json-schema"));
        Files.copy(dev.dataplatform.testing.Conformance.require(ChartFixture.DEFINITIONS),
                dir.resolve(ChartFixture.DEFINITIONS));
        ChartFixture.untar(dev.dataplatform.testing.Conformance.require(ARCHIVE), dir.resolve("charts"));
        var catalog = SchemaCatalog.load(dir);
        assertTrue(catalog.charts().contains("dagster@" + PinnedVersions.DAGSTER_CHART.version()), catalog.charts().toString());
        for (String stack : STACKS) {
            var findings = catalog.validate(List.of(RENDERED.get(stack).release()));
            assertEquals(List.of(), findings, stack);
        }
        // Without the definitions file: one clear warning, not a crash.
        Files.delete(dir.resolve(ChartFixture.DEFINITIONS));
        var offline = SchemaCatalog.load(dir).validate(List.of(RENDERED.get("dev").release()));
        assertEquals(1, offline.size(), offline.toString());
        assertEquals(SchemaCatalog.UNRESOLVED_RULE, offline.get(0).rule());
        assertTrue(offline.get(0).message().contains("_definitions.json"), offline.get(0).message());
    }
}
