package dev.dataplatform.observability;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObservabilityStackTest {
    static final String RELEASE = "kubernetes:helm.sh/v3:Release";
    static final String DEPLOYMENT = "kubernetes:apps/v1:Deployment";
    static final String SERVICE = "kubernetes:core/v1:Service";
    static final String POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    static final String EXTERNAL = "kubernetes:external-secrets.io/v1:ExternalSecret";
    static final ObservabilityStack.OtlpExport EXPORT = new ObservabilityStack.OtlpExport(
            "https://otlp.eu01.nr-data.net", "api-key", "otlp-credentials", "api-key");
    static final String CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
    static final String CONNECTION = "acme-data-prod:europe-west1:data-platform-prod";
    static final ObservabilityStack.MarquezDatabase MARQUEZ = new ObservabilityStack.MarquezDatabase(
            CONNECTION, "marquez", "marquez", "platform-secrets", "marquez-db-password",
            Output.of("data-workloads@acme-data-prod.iam.gserviceaccount.com"));

    static final ObservabilityStack.MarquezHostDatabase LOCAL_MARQUEZ = new ObservabilityStack.MarquezHostDatabase(
            "postgis.data-local.svc.cluster.local", 5432, "marquez", "marquez", "local-credentials", "login-marquez#password");

    static ObservabilityStack.Args.Builder args(Environment environment) {
        var builder = ObservabilityStack.Args.builder().environment(environment).cluster(dev.dataplatform.kubernetes.TestClusters.GKE)
                .telemetryClients(List.of("data-apps")).marquez(MARQUEZ, Output.of("10.20.0.3/32"));
        return environment == Environment.DEV ? builder : builder.export(EXPORT);
    }

    static Harness.Run run(Environment environment, ObservabilityStack.Args args) {
        return Harness.preview(environment, ctx -> {
            var stack = new ObservabilityStack("observability", args, ComponentResourceOptions.Empty);
            ctx.export("otlpGrpcEndpoint", stack.otlpGrpcEndpoint);
            ctx.export("otlpHttpEndpoint", stack.otlpHttpEndpoint);
            ctx.export("jaegerUi", stack.jaegerUi);
            ctx.export("marquezApiUrl", stack.marquezApiUrl);
        }).succeeded();
    }

    static Object value(PlannedResource release, String path) {
        return release.input("values." + path).orElseThrow(() -> new AssertionError("no values." + path));
    }

    /** Values keys with dots (memory_limiter is fine; exporter names have slashes). */
    static Object at(Object map, String... keys) {
        Object value = map;
        for (String key : keys) {
            value = ((Map<?, ?>) value).get(key);
        }
        return value;
    }

    @Test
    void theCollectorChartIsPinnedAndCarriesItsWholeConfigWithoutTheChartDefaults() {
        var run = run(Environment.DEV, args(Environment.DEV).build());
        var collector = run.resource(RELEASE, "observability-collector");
        assertEquals("opentelemetry-collector", collector.inputs().get("chart"));
        assertEquals(PinnedVersions.COLLECTOR_CHART.version(), collector.inputs().get("version"));
        assertEquals(Map.of("repo", "https://open-telemetry.github.io/opentelemetry-helm-charts"), collector.inputs().get("repositoryOpts"));
        assertEquals("deployment", value(collector, "mode"));
        assertEquals(Map.of("repository", "otel/opentelemetry-collector-contrib", "tag", PinnedVersions.COLLECTOR_IMAGE.version()),
                value(collector, "image"));
        assertTrue(collector.input("values.config").isEmpty(), "the config goes in alternateConfig, not merged with the defaults");
        var config = value(collector, "alternateConfig");
        assertEquals("${env:MY_POD_IP}:4317", at(config, "receivers", "otlp", "protocols", "grpc", "endpoint"));
        assertEquals("${env:MY_POD_IP}:4318", at(config, "receivers", "otlp", "protocols", "http", "endpoint"));
        assertEquals(java.util.Set.of("otlp"), ((Map<?, ?>) at(config, "receivers")).keySet());
        assertEquals(Map.of("check_interval", "1s", "limit_percentage", 80L, "spike_limit_percentage", 25L),
                at(config, "processors", "memory_limiter"));
        assertEquals(List.of("health_check"), at(config, "service", "extensions"));
        assertEquals(List.of("memory_limiter", "batch"), at(config, "service", "pipelines", "traces", "processors"));
        for (String port : ObservabilityStack.UNUSED_CHART_PORTS) {
            assertEquals(Map.of("enabled", false), value(collector, "ports." + port), port);
        }
        assertEquals(false, value(collector, "serviceAccount.automountServiceAccountToken"));
        assertEquals("http://otel-collector.observability.svc.cluster.local:4317", run.output("otlpGrpcEndpoint"));
        assertEquals("http://otel-collector.observability.svc.cluster.local:4318", run.output("otlpHttpEndpoint"));
        assertEquals(List.of(), run.findings(Environment.DEV));
    }

    @Test
    void devSendsOnlyTracesToAnInClusterJaegerV2() {
        var run = run(Environment.DEV, args(Environment.DEV).build());
        var config = value(run.resource(RELEASE, "observability-collector"), "alternateConfig");
        assertEquals(Map.of("endpoint", "jaeger.observability.svc.cluster.local:4317", "tls", Map.of("insecure", true)),
                at(config, "exporters", "otlp/jaeger"));
        assertEquals(java.util.Set.of("traces"), ((Map<?, ?>) at(config, "service", "pipelines")).keySet(),
                "Jaeger takes traces only: no metrics or logs pipeline in dev");
        assertEquals(List.of("otlp/jaeger"), at(config, "service", "pipelines", "traces", "exporters"));
        var jaeger = run.resource(DEPLOYMENT, "observability-jaeger");
        assertEquals(PinnedVersions.JAEGER_IMAGE.image(), jaeger.input("spec.template.spec.containers.0.image").orElseThrow());
        assertEquals("jaegertracing/jaeger:2.20.0", PinnedVersions.JAEGER_IMAGE.image());
        assertEquals(List.of("--config=file:/etc/jaeger/config.yaml"), jaeger.input("spec.template.spec.containers.0.args").orElseThrow());
        assertEquals("jaeger-config", jaeger.input("spec.template.spec.volumes.0.configMap.name").orElseThrow());
        var jaegerConfig = (String) run.resource(CONFIG_MAP, "observability-jaeger-config").input("data").map(d -> ((Map<?, ?>) d)
                .get("config.yaml")).orElseThrow();
        assertEquals(ObservabilityStack.jaegerConfig(), jaegerConfig);
        assertTrue(jaegerConfig.contains("receivers: [otlp]") && !jaegerConfig.contains("zipkin"), jaegerConfig);
        assertEquals("ClusterIP", run.resource(SERVICE, "observability-jaeger-service").input("spec.type").orElseThrow());
        assertEquals("http://jaeger.observability.svc.cluster.local:16686", run.output("jaegerUi"));
    }

    @Test
    void stageAndProdExportEverySignalOverOtlpWithTheHeaderFromASecret() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var collector = run.resource(RELEASE, "observability-collector");
        var config = value(collector, "alternateConfig");
        assertEquals(Map.of("endpoint", "https://otlp.eu01.nr-data.net", "headers", Map.of("api-key", "${env:OTLP_AUTH_HEADER}")),
                at(config, "exporters", "otlphttp"));
        for (String signal : List.of("traces", "metrics", "logs")) {
            assertEquals(List.of("otlphttp"), at(config, "service", "pipelines", signal, "exporters"), signal);
        }
        assertEquals(List.of(Map.of("name", "OTLP_AUTH_HEADER",
                "valueFrom", Map.of("secretKeyRef", Map.of("name", "otlp-credentials", "key", "api-key")))), value(collector, "extraEnvs"));
        assertEquals(0L, run.count(DEPLOYMENT) - 1, "only Marquez: no Jaeger outside dev");
        assertEquals("", run.output("jaegerUi"));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void marquezRunsItsOwnConfigWithTheDatabaseFromEnvThroughTheAuthProxySidecar() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var marquez = run.resource(DEPLOYMENT, "observability-marquez");
        assertEquals(PinnedVersions.MARQUEZ_IMAGE.image(), marquez.input("spec.template.spec.containers.0.image").orElseThrow());
        @SuppressWarnings("unchecked")
        var env = (List<Map<String, Object>>) marquez.input("spec.template.spec.containers.0.env").orElseThrow();
        var byName = new java.util.TreeMap<String, Object>();
        env.forEach(e -> byName.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : e.get("valueFrom")));
        assertEquals("/etc/marquez/marquez.yml", byName.get("MARQUEZ_CONFIG"));
        assertEquals("127.0.0.1", byName.get("POSTGRES_HOST"));
        assertEquals("5432", byName.get("POSTGRES_PORT"));
        assertEquals("marquez", byName.get("POSTGRES_DB"));
        assertEquals("disable", byName.get("POSTGRES_SSLMODE"));
        assertEquals("marquez", byName.get("POSTGRES_USER"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", "marquez-postgresql", "key", "password")), byName.get("POSTGRES_PASSWORD"));
        assertEquals(Map.of("name", "config", "mountPath", "/etc/marquez", "readOnly", true),
                marquez.input("spec.template.spec.containers.0.volumeMounts.0").orElseThrow());
        assertEquals("marquez-config", marquez.input("spec.template.spec.volumes.0.configMap.name").orElseThrow());
        var config = (String) run.resource(CONFIG_MAP, "observability-marquez-config").input("data")
                .map(d -> ((Map<?, ?>) d).get("marquez.yml")).orElseThrow();
        assertEquals(ObservabilityStack.marquezConfig(), config);

        // The proxy is a native sidecar (an init container that keeps running), password login.
        var sidecar = dev.dataplatform.kubernetes.CloudSqlProxy.sidecar(CONNECTION, false);
        for (String key : List.of("name", "image", "args", "resources", "restartPolicy")) {
            assertEquals(sidecar.get(key), marquez.input("spec.template.spec.initContainers.0." + key).orElseThrow(), key);
        }
        assertTrue(((List<?>) sidecar.get("args")).containsAll(List.of("--private-ip", CONNECTION)));
        assertTrue(!((List<?>) sidecar.get("args")).contains("--auto-iam-authn"), "a password login passes through the proxy");
        assertEquals("Always", marquez.input("spec.template.spec.initContainers.0.restartPolicy").orElseThrow());
        assertEquals("marquez", marquez.input("spec.template.spec.serviceAccountName").orElseThrow());
        assertEquals(Map.of("iam.gke.io/gcp-service-account", "data-workloads@acme-data-prod.iam.gserviceaccount.com"),
                run.resource("kubernetes:core/v1:ServiceAccount", "observability-marquez-service-account")
                        .input("metadata.annotations").orElseThrow());
        var secret = run.resource(EXTERNAL, "observability-marquez-password");
        assertEquals(Map.of("name", "platform-secrets", "kind", "ClusterSecretStore"), secret.input("spec.secretStoreRef").orElseThrow());
        assertEquals("http://marquez.observability.svc.cluster.local:5000/api/v1", run.output("marquezApiUrl"));
    }

    @Test
    void clientsReachOtlpAndMarquezAndTheProxyReachesTheInstanceTheApiAndTheMetadataServer() {
        var run = run(Environment.DEV, args(Environment.DEV).build());
        var clients = run.resource(POLICY, "observability-allow-telemetry-clients");
        @SuppressWarnings("unchecked")
        var rule = ((List<Map<String, Object>>) clients.input("spec.ingress").orElseThrow()).get(0);
        assertEquals(List.of(4317L, 4318L, 5000L), ((List<?>) rule.get("ports")).stream().map(p -> ((Map<?, ?>) p).get("port")).toList());
        var database = run.resource(POLICY, "observability-allow-marquez-database");
        assertEquals(List.of("Egress"), database.input("spec.policyTypes").orElseThrow());
        assertEquals(3307L, database.input("spec.egress.0.ports.0.port").orElseThrow(), "the proxy dials the instance on 3307");
        assertEquals("10.20.0.3/32", database.input("spec.egress.0.to.0.ipBlock.cidr").orElseThrow());
        assertEquals(443L, run.resource(POLICY, "observability-allow-cloud-sql-api").input("spec.egress.0.ports.0.port").orElseThrow());
        for (int i = 0; i < dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS.size(); i++) {
            var metadata = run.resource(POLICY, "observability-allow-gke-metadata-" + i);
            assertEquals(dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS.get(i).cidr(),
                    metadata.input("spec.egress.0.to.0.ipBlock.cidr").orElseThrow());
        }
        assertTrue(run.findings(Environment.DEV).stream().noneMatch(f -> f.rule().startsWith("namespace-")));
        assertEquals(List.of(), run.findings(Environment.DEV));
    }

    @Test
    void badArgumentsFailBeforeAnythingIsDeclared() {
        record Case(ObservabilityStack.Args.Builder args, String message) {
        }
        var cases = List.of(
                new Case(args(Environment.PROD).export(null), "export is required in prod"),
                new Case(args(Environment.DEV).collectorChartVersion("~0.108"), "is not a pinned x.y.z version"),
                new Case(args(Environment.DEV).collectorChartVersion("0.108.0"),
                        "collectorChartVersion '0.108.0' is not supported; allowed: opentelemetry-collector >= 0.170.0 and < 1.0.0"),
                new Case(args(Environment.STAGE).export(new ObservabilityStack.OtlpExport("http://collector:4318", "h", "s", "k")),
                        "must be https://"),
                new Case(args(Environment.DEV).jaegerImage("jaegertracing/all-in-one:1.62.0"),
                        "is not jaegertracing/jaeger; allowed: jaegertracing/jaeger:<tag >= 2.0.0 and < 3.0.0>"),
                new Case(args(Environment.DEV).jaegerImage("jaegertracing/jaeger:latest"), "'latest' is not a pinned x.y.z version"),
                new Case(args(Environment.DEV).marquezImage("marquezproject/marquez"), "has no tag"),
                new Case(args(Environment.DEV).marquezImage("marquezproject/marquez:0.50.0"),
                        "'0.50.0' is not supported; allowed: marquezproject/marquez >= 0.51.0"),
                new Case(args(Environment.DEV).marquez(new ObservabilityStack.MarquezDatabase("data-platform-prod", "marquez",
                        "marquez", "s", "k", Output.of("sa@p.iam.gserviceaccount.com")), Output.of("10.0.0.1/32")),
                        "is not valid; allowed: project:region:instance"),
                new Case(args(Environment.DEV).marquez(LOCAL_MARQUEZ, Output.of("10.244.0.0/16")),
                        "marquez has one database: Cloud SQL or a direct host, not both"));
        for (var c : cases) {
            var error = assertThrows(IllegalArgumentException.class, c.args()::build, c.message());
            assertTrue(error.getMessage().contains(c.message()), "expected '" + c.message() + "' in: " + error.getMessage());
        }
    }

    @Test
    void marquezOnADirectHostConnectsOverTlsWithTheStoresPasswordAndNoProxyOrCloudIdentity() {
        var run = run(Environment.DEV, ObservabilityStack.Args.builder().environment(Environment.DEV)
                .telemetryClients(List.of("data-apps")).marquez(LOCAL_MARQUEZ, Output.of("10.244.0.0/16")).build());
        var marquez = run.resource(DEPLOYMENT, "observability-marquez");
        @SuppressWarnings("unchecked")
        var env = (List<Map<String, Object>>) marquez.input("spec.template.spec.containers.0.env").orElseThrow();
        var byName = new java.util.TreeMap<String, Object>();
        env.forEach(e -> byName.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : e.get("valueFrom")));
        assertEquals("postgis.data-local.svc.cluster.local", byName.get("POSTGRES_HOST"));
        assertEquals("5432", byName.get("POSTGRES_PORT"));
        assertEquals("marquez", byName.get("POSTGRES_DB"));
        assertEquals("require", byName.get("POSTGRES_SSLMODE"), "the local server accepts TLS only");
        assertEquals("marquez", byName.get("POSTGRES_USER"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", "marquez-postgresql", "key", "password")), byName.get("POSTGRES_PASSWORD"));
        assertTrue(marquez.input("spec.template.spec.initContainers").isEmpty(), "no Cloud SQL proxy");
        var secret = run.resource(EXTERNAL, "observability-marquez-password");
        assertEquals("local-credentials", secret.input("spec.secretStoreRef.name").orElseThrow());
        assertEquals("login-marquez", secret.input("spec.data.0.remoteRef.key").orElseThrow());
        assertEquals("password", secret.input("spec.data.0.remoteRef.property").orElseThrow());
        var account = run.resource("kubernetes:core/v1:ServiceAccount", "observability-marquez-service-account");
        assertTrue(account.input("metadata.annotations").map(a -> ((Map<?, ?>) a).isEmpty()).orElse(true), "no cloud identity");
        // Egress to the server's port in its range only: no Cloud SQL API, no metadata server.
        var database = run.resource(POLICY, "observability-allow-marquez-database");
        assertEquals(5432L, database.input("spec.egress.0.ports.0.port").orElseThrow());
        assertEquals("10.244.0.0/16", database.input("spec.egress.0.to.0.ipBlock.cidr").orElseThrow());
        assertTrue(run.all(POLICY).stream().noneMatch(p -> p.name().contains("cloud-sql-api") || p.name().contains("gke-metadata")),
                run.all(POLICY).toString());
        @SuppressWarnings("unchecked")
        var rule = ((List<Map<String, Object>>) run.resource(POLICY, "observability-allow-telemetry-clients").input("spec.ingress")
                .orElseThrow()).get(0);
        assertEquals(List.of(4317L, 4318L, 5000L), ((List<?>) rule.get("ports")).stream().map(p -> ((Map<?, ?>) p).get("port")).toList());
        assertEquals("http://marquez.observability.svc.cluster.local:5000/api/v1", run.output("marquezApiUrl"));
        assertEquals(List.of(), run.findings(Environment.DEV));
    }
}
