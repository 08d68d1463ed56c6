package dev.dataplatform.kubernetes;

import dev.dataplatform.core.Environment;
import dev.dataplatform.guardrails.Guardrails;
import dev.dataplatform.guardrails.PlanView;
import dev.dataplatform.testing.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudSqlProxyTest {
    private static final String NAME = "acme-data-prod:europe-west1:data-platform-prod";

    @Test
    void theConnectionNameIsProjectRegionInstance() {
        assertEquals(NAME, CloudSqlProxy.connectionName("acme-data-prod", "europe-west1", "data-platform-prod"));
    }

    @ParameterizedTest
    @CsvSource({
            "Acme-Data, europe-west1, db, project",
            "acme-data-prod, europe west1, db, region",
            "acme-data-prod, europe-west1, 1db, instance",
            "acme-data-prod, europe-west1, db-, instance"})
    void anInvalidConnectionNamePartIsRefusedByName(String project, String region, String instance, String part) {
        var error = assertThrows(IllegalArgumentException.class,
                () -> CloudSqlProxy.connectionName(project, region, instance));
        assertTrue(error.getMessage().contains(part + " '"), error.getMessage());
        assertTrue(error.getMessage().contains("allowed:"), error.getMessage());
    }

    @Test
    void theSidecarIsANativeSidecarOnThePrivateIpWithIamLoginAndAStartupProbe() {
        var spec = CloudSqlProxy.sidecar(NAME, true);
        assertEquals("Always", spec.get("restartPolicy"));
        assertEquals(List.of("--private-ip", "--auto-iam-authn", "--structured-logs", "--port=5432",
                "--health-check", "--http-address=0.0.0.0", "--http-port=" + CloudSqlProxy.HEALTH_PORT,
                "--exit-zero-on-sigterm", NAME), spec.get("args"));
        assertEquals("gcr.io/cloud-sql-connectors/cloud-sql-proxy:" + CloudSqlProxy.VERSION, spec.get("image"));
        var probe = (Map<?, ?>) spec.get("startupProbe");
        assertEquals(Map.of("path", "/startup", "port", CloudSqlProxy.HEALTH_PORT), probe.get("httpGet"));
        assertEquals(CloudSqlProxy.IMAGE_UID, ((Map<?, ?>) spec.get("securityContext")).get("runAsUser"));
    }

    @Test
    void aPasswordClientGetsNoIamLogin() {
        var args = CloudSqlProxy.args(NAME, false);
        assertFalse(args.contains("--auto-iam-authn"));
        assertTrue(args.contains("--private-ip"));
        assertEquals(NAME, args.get(args.size() - 1));
    }

    @Test
    void aMalformedConnectionNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CloudSqlProxy.sidecar("data-platform-prod", true));
        assertThrows(IllegalArgumentException.class, () -> CloudSqlProxy.sidecar("a:b:c:d", true));
    }

    @Test
    void theSidecarPassesTheContainerGuardrailsInADeployment() {
        var spec = CloudSqlProxy.sidecar(NAME, true);
        var app = Map.<String, Object>of("name", "app", "image", "app:1",
                "resources", spec.get("resources"), "securityContext", spec.get("securityContext"));
        var deployment = Resources.resource("kubernetes:apps/v1:Deployment", "dagster")
                .input("spec.template.spec.automountServiceAccountToken", false)
                .input("spec.template.spec.initContainers", List.of(spec))
                .input("spec.template.spec.containers", List.of(app)).build();
        var findings = Guardrails.evaluate(new PlanView(Environment.PROD, List.of(Resources.stack(), deployment), Map.of()));
        assertEquals(List.of(), findings);
    }
}
