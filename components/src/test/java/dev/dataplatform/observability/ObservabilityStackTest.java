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
    static final ObservabilityStack.MarquezDatabase MARQUEZ = new ObservabilityStack.MarquezDatabase(
            Output.of("10.20.0.3"), 5432, "marquez", "marquez", "platform-secrets", "marquez-db-password");

    static ObservabilityStack.Args.Builder args(Environment environment) {
        var builder = ObservabilityStack.Args.builder().environment(environment).collectorChartVersion("0.108.0")
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
    void theCollectorChartHasModeImageOtlpOnBothPortsMemoryLimiterBatchAndHealthCheck() {
        var run = run(Environment.DEV, args(Environment.DEV).build());
        var collector = run.resource(RELEASE, "observability-collector");
        assertEquals("opentelemetry-collector", collector.inputs().get("chart"));
        assertEquals("0.108.0", collector.inputs().get("version"));
        assertEquals(Map.of("repo", "https://open-telemetry.github.io/opentelemetry-helm-charts"), collector.inputs().get("repositoryOpts"));
        assertEquals("deployment", value(collector, "mode"));
        assertEquals("otel/opentelemetry-collector-contrib", value(collector, "image.repository"));
        assertEquals("${env:MY_POD_IP}:4317", value(collector, "config.receivers.otlp.protocols.grpc.endpoint"));
        assertEquals("${env:MY_POD_IP}:4318", value(collector, "config.receivers.otlp.protocols.http.endpoint"));
        var config = value(collector, "config");
        assertEquals(Map.of("check_interval", "1s", "limit_percentage", 80L, "spike_limit_percentage", 25L),
                at(config, "processors", "memory_limiter"));
        assertEquals(List.of("health_check"), at(config, "service", "extensions"));
        for (String signal : List.of("traces", "metrics", "logs")) {
            assertEquals(List.of("memory_limiter", "batch"), at(config, "service", "pipelines", signal, "processors"), signal);
        }
        assertEquals("http://otel-collector.observability.svc.cluster.local:4317", run.output("otlpGrpcEndpoint"));
        assertEquals("http://otel-collector.observability.svc.cluster.local:4318", run.output("otlpHttpEndpoint"));
        assertEquals(List.of(), run.findings(Environment.DEV));
    }

    @Test
    void devExportsToAnInClusterJaeger() {
        var run = run(Environment.DEV, args(Environment.DEV).build());
        var config = value(run.resource(RELEASE, "observability-collector"), "config");
        assertEquals(Map.of("endpoint", "jaeger.observability.svc.cluster.local:4317", "tls", Map.of("insecure", true)),
                at(config, "exporters", "otlp/jaeger"));
        assertEquals(List.of("otlp/jaeger"), at(config, "service", "pipelines", "traces", "exporters"));
        var jaeger = run.resource(DEPLOYMENT, "observability-jaeger");
        assertEquals("jaegertracing/all-in-one:1.62.0", jaeger.input("spec.template.spec.containers.0.image").orElseThrow());
        assertEquals("ClusterIP", run.resource(SERVICE, "observability-jaeger-service").input("spec.type").orElseThrow());
        assertEquals("http://jaeger.observability.svc.cluster.local:16686", run.output("jaegerUi"));
    }

    @Test
    void stageAndProdExportOverOtlpWithTheHeaderFromASecret() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var collector = run.resource(RELEASE, "observability-collector");
        var config = value(collector, "config");
        assertEquals(Map.of("endpoint", "https://otlp.eu01.nr-data.net", "headers", Map.of("api-key", "${env:OTLP_AUTH_HEADER}")),
                at(config, "exporters", "otlphttp"));
        assertEquals(List.of(Map.of("name", "OTLP_AUTH_HEADER",
                "valueFrom", Map.of("secretKeyRef", Map.of("name", "otlp-credentials", "key", "api-key")))), value(collector, "extraEnvs"));
        assertEquals(0L, run.count(DEPLOYMENT) - 1, "only Marquez: no Jaeger outside dev");
        assertEquals("", run.output("jaegerUi"));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void marquezUsesItsDatabaseWithAPasswordFromExternalSecrets() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var marquez = run.resource(DEPLOYMENT, "observability-marquez");
        @SuppressWarnings("unchecked")
        var env = (List<Map<String, Object>>) marquez.input("spec.template.spec.containers.0.env").orElseThrow();
        var byName = new java.util.TreeMap<String, Object>();
        env.forEach(e -> byName.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : e.get("valueFrom")));
        assertEquals("10.20.0.3", byName.get("POSTGRES_HOST"));
        assertEquals("marquez?sslmode=require", byName.get("POSTGRES_DB"));
        assertEquals("marquez", byName.get("POSTGRES_USER"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", "marquez-postgresql", "key", "password")), byName.get("POSTGRES_PASSWORD"));
        var secret = run.resource(EXTERNAL, "observability-marquez-password");
        assertEquals(Map.of("name", "platform-secrets", "kind", "ClusterSecretStore"), secret.input("spec.secretStoreRef").orElseThrow());
        assertEquals("http://marquez.observability.svc.cluster.local:5000/api/v1", run.output("marquezApiUrl"));
    }

    @Test
    void clientsReachOtlpAndMarquezAndEverythingElseIsDenied() {
        var run = run(Environment.PROD, args(Environment.PROD).build());
        var clients = run.resource(POLICY, "observability-allow-telemetry-clients");
        @SuppressWarnings("unchecked")
        var rule = ((List<Map<String, Object>>) clients.input("spec.ingress").orElseThrow()).get(0);
        assertEquals(List.of(4317L, 4318L, 5000L), ((List<?>) rule.get("ports")).stream().map(p -> ((Map<?, ?>) p).get("port")).toList());
        var database = run.resource(POLICY, "observability-allow-marquez-database");
        assertEquals(List.of("Egress"), database.input("spec.policyTypes").orElseThrow());
        assertTrue(run.findings(Environment.PROD).stream().noneMatch(f -> f.rule().startsWith("namespace-")));
    }

    @Test
    void badArgumentsFailBeforeAnythingIsDeclared() {
        record Case(ObservabilityStack.Args.Builder args, String message) {
        }
        var cases = List.of(
                new Case(args(Environment.PROD).export(null), "export is required in prod"),
                new Case(args(Environment.DEV).collectorChartVersion("~0.108"), "is not a pinned x.y.z version"),
                new Case(args(Environment.STAGE).export(new ObservabilityStack.OtlpExport("http://collector:4318", "h", "s", "k")),
                        "must be https://"),
                new Case(args(Environment.DEV).jaegerImage("jaegertracing/all-in-one:latest"), "needs a fixed tag"),
                new Case(args(Environment.DEV).marquezImage("marquezproject/marquez"), "needs a fixed tag"));
        for (var c : cases) {
            var error = assertThrows(IllegalArgumentException.class, c.args()::build, c.message());
            assertTrue(error.getMessage().contains(c.message()), "expected '" + c.message() + "' in: " + error.getMessage());
        }
    }
}
