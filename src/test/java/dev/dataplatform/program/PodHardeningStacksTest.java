package dev.dataplatform.program;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed stacks' pods: every Deployment, StatefulSet, Job and CronJob the program declares runs without the
 * Kubernetes API token and with read-only root filesystems (writable paths are emptyDir mounts), and the guardrails
 * report neither; the collector chart's pods get no token either (values serviceAccount.automountServiceAccountToken).
 */
class PodHardeningStacksTest {
    static final Map<String, String> POD_SPECS = Map.of(
            "kubernetes:apps/v1:Deployment", "spec.template.spec",
            "kubernetes:apps/v1:StatefulSet", "spec.template.spec",
            "kubernetes:batch/v1:Job", "spec.template.spec",
            "kubernetes:batch/v1:CronJob", "spec.jobTemplate.spec.template.spec");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod", "local"})
    void everyPodRunsWithoutTheApiTokenAndWithAReadOnlyRoot(String stack) {
        var plan = CommittedPlans.of(stack);
        var problems = new ArrayList<String>();
        int workloads = 0;
        for (var resource : plan.recording().resources()) {
            String path = POD_SPECS.get(resource.type());
            if (path == null) {
                continue;
            }
            workloads++;
            var pod = (Map<?, ?>) resource.input(path).orElseThrow();
            if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
                problems.add(resource.name() + " mounts the API token");
            }
            for (String kind : List.of("initContainers", "containers")) {
                for (Object c : (List<?>) pod.get(kind) == null ? List.of() : (List<?>) pod.get(kind)) {
                    var container = (Map<?, ?>) c;
                    var security = (Map<?, ?>) container.get("securityContext");
                    if (security == null || !Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
                        problems.add(resource.name() + "/" + container.get("name") + " has a writable root");
                    }
                }
            }
        }
        assertTrue(workloads > 0, stack + " declares workloads");
        assertEquals(List.of(), problems, stack);
        assertEquals(List.of(), plan.findings().stream()
                .filter(f -> f.rule().equals("pod-api-token") || f.rule().equals("read-only-root-filesystem")).toList(), stack);
        plan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:helm.sh/v3:Release") && "opentelemetry-collector".equals(r.input("chart").orElse(null)))
                .forEach(r -> assertEquals(false, r.input("values.serviceAccount.automountServiceAccountToken").orElseThrow(), stack));
    }
}
