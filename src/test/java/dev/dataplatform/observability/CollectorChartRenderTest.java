package dev.dataplatform.observability;

import dev.dataplatform.HelmTemplate;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.plan.Plan;
import dev.dataplatform.testing.Conformance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.dataplatform.HelmTemplate.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders the real opentelemetry-collector chart with real Helm (helm-java, Helm 3 in-process) from
 * each stack's collector values as the plan declares them, and checks what the cluster would get.
 * Helm validates the values against the chart's values.schema.json while rendering. The chart is
 * found only through {@link Conformance} (env {@value Conformance#ENV}).
 */
class CollectorChartRenderTest {
    static final Path ROOT = Path.of("..");
    static final String CHART = "charts/opentelemetry-collector-" + PinnedVersions.COLLECTOR_CHART.version();

    /** The chart, found before any test runs: missing, every test is skipped (never inside assertThrows). */
    static Path chart;

    @BeforeAll
    static void findTheChart() {
        chart = Conformance.require(CHART);
    }

    /** The collector's Helm release as the stack's plan declares it. */
    static PlannedResource collectorRelease(String stack) {
        var plan = dev.dataplatform.program.CommittedPlans.of(stack);
        assertTrue(plan.recording().succeeded(), () -> plan.recording().exceptions().toString());
        return plan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:helm.sh/v3:Release") && r.name().equals("observability-collector"))
                .findFirst().orElseThrow(() -> new AssertionError("no collector release in " + stack));
    }

    /** Each stack's collector rendered with the values its plan declares, once for the class. */
    static final Map<String, List<Map<String, Object>>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    static List<Map<String, Object>> rendered(String stack) throws IOException {
        var documents = RENDERED.get(stack);
        if (documents == null) {
            var release = collectorRelease(stack);
            documents = HelmTemplate.render(chart, release, (Map<?, ?>) release.inputs().get("values"));
            RENDERED.put(stack, documents);
        }
        return documents;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theStacksCollectorRendersWithLimitsRestrictedPodsAndNoLoadBalancer(String stack) throws IOException {
        var release = collectorRelease(stack);
        assertEquals(PinnedVersions.COLLECTOR_CHART.version(), release.inputs().get("version"));
        var documents = rendered(stack);

        var deployments = ofKind(documents, "Deployment");
        assertEquals(1, deployments.size(), "one collector Deployment");
        var pod = at(deployments.get(0), "spec.template.spec");
        var containers = new ArrayList<Map<?, ?>>();
        for (String kind : List.of("initContainers", "containers")) {
            if (at(pod, kind) instanceof List<?> list) {
                list.forEach(c -> containers.add((Map<?, ?>) c));
            }
        }
        assertFalse(containers.isEmpty());
        for (var container : containers) {
            String name = String.valueOf(container.get("name"));
            for (String key : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
                assertNotNull(at(container, "resources." + key), name + " has no resources." + key);
            }
            assertEquals(false, at(container, "securityContext.allowPrivilegeEscalation"), name);
            assertEquals(List.of("ALL"), at(container, "securityContext.capabilities.drop"), name);
            assertEquals(true, at(container, "securityContext.readOnlyRootFilesystem"), name + ": read-only root");
            var runAsNonRoot = at(container, "securityContext.runAsNonRoot") != null
                    ? at(container, "securityContext.runAsNonRoot") : at(pod, "securityContext.runAsNonRoot");
            assertEquals(true, runAsNonRoot, name);
            var seccomp = at(container, "securityContext.seccompProfile.type") != null
                    ? at(container, "securityContext.seccompProfile.type") : at(pod, "securityContext.seccompProfile.type");
            assertEquals("RuntimeDefault", seccomp, name);
            assertEquals("otel/opentelemetry-collector-contrib:" + PinnedVersions.COLLECTOR_IMAGE.version(), container.get("image"));
        }
        assertEquals(false, at(pod, "automountServiceAccountToken"));

        for (var service : ofKind(documents, "Service")) {
            assertFalse("LoadBalancer".equals(at(service, "spec.type")), "a LoadBalancer Service: " + service);
            var ports = new TreeSet<Object>();
            ((List<?>) at(service, "spec.ports")).forEach(p -> ports.add(((Map<?, ?>) p).get("port")));
            assertEquals(new TreeSet<>(List.of(4317, 4318)), ports, "only the OTLP ports are open: " + ports);
        }
        var containerPorts = new TreeSet<Object>();
        ((List<?>) at(pod, "containers.0.ports")).forEach(p -> containerPorts.add(((Map<?, ?>) p).get("containerPort")));
        assertEquals(new TreeSet<>(List.of(4317, 4318)), containerPorts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theRenderedPipelinesUseOnlyDefinedComponentsAndExportersThatAcceptTheirSignal(String stack) throws IOException {
        var documents = rendered(stack);
        var configMaps = ofKind(documents, "ConfigMap");
        assertEquals(1, configMaps.size());
        Map<?, ?> relay = new Yaml().load((String) at(configMaps.get(0), "data.relay"));

        var pipelines = (Map<?, ?>) at(relay, "service.pipelines");
        assertFalse(pipelines.isEmpty());
        var used = new LinkedHashMap<String, Set<Object>>();
        for (var entry : pipelines.entrySet()) {
            String signal = String.valueOf(entry.getKey()).split("/")[0];
            var pipeline = (Map<?, ?>) entry.getValue();
            for (String section : List.of("receivers", "processors", "exporters")) {
                var defined = (Map<?, ?>) relay.get(section);
                for (Object component : (List<?>) pipeline.get(section)) {
                    assertTrue(defined != null && defined.containsKey(component),
                            stack + ": pipeline " + entry.getKey() + " uses undefined " + section + " " + component);
                    used.computeIfAbsent(section, k -> new TreeSet<>()).add(component);
                }
            }
            for (Object exporter : (List<?>) pipeline.get("exporters")) {
                var destination = ObservabilityStack.EXPORTERS.get(String.valueOf(exporter));
                assertNotNull(destination, stack + ": exporter " + exporter + " has no known destination");
                assertTrue(destination.signals.contains(signal),
                        stack + ": " + signal + " pipeline sends to " + exporter + ", which accepts only " + destination.signals);
            }
        }
        for (String section : List.of("receivers", "processors", "exporters")) {
            assertEquals(((Map<?, ?>) relay.get(section)).keySet(), used.get(section),
                    stack + ": " + section + " defined but used by no pipeline");
        }
        for (Object extension : (List<?>) at(relay, "service.extensions")) {
            assertTrue(((Map<?, ?>) relay.get("extensions")).containsKey(extension), "undefined extension " + extension);
        }
        if (stack.equals("dev")) {
            assertEquals(Set.of("traces"), pipelines.keySet(), "dev sends only traces, to Jaeger");
            assertEquals(List.of("otlp/jaeger"), at(pipelines, "traces.exporters"));
        } else {
            assertEquals(Set.of("traces", "metrics", "logs"), pipelines.keySet());
        }
    }

    @Test
    void helmEnforcesTheChartsValuesSchema() throws IOException {
        var release = collectorRelease("dev");
        @SuppressWarnings("unchecked")
        var values = new LinkedHashMap<>((Map<String, Object>) release.inputs().get("values"));
        values.put("mode", "sidecar");
        var error = assertThrows(IllegalStateException.class, () -> HelmTemplate.render(chart, release, values));
        assertTrue(error.getMessage().contains("schema") && error.getMessage().contains("mode"), error.getMessage());
    }
}
