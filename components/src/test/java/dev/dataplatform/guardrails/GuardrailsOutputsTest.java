package dev.dataplatform.guardrails;

import dev.dataplatform.core.Environment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dataplatform.testing.Resources.resource;
import static dev.dataplatform.testing.Resources.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GuardrailsOutputsTest {

    @Test
    void aPlainTextSecretInAStackOutputIsAnError() {
        var findings = Guardrails.evaluate(new PlanView(Environment.DEV, List.of(stack()),
                Map.of("databaseUrl", "postgresql://app:pw@10.0.0.3:5432/pgstac", "masterPassword", "[secret]")));
        assertEquals(1, findings.size(), findings.toString());
        assertEquals("no-plaintext-secrets", findings.get(0).rule());
        assertEquals(stack().urn(), findings.get(0).resource());
    }

    @Test
    void anExplicitlyAllowedLoadBalancerIsOnlyAWarning() {
        var service = resource("kubernetes:core/v1:Service", "ui").input("spec.type", "LoadBalancer")
                .input("metadata.annotations", Map.of(KubernetesRules.ALLOW_LOAD_BALANCER_ANNOTATION, "true")).build();
        var findings = Guardrails.evaluate(new PlanView(Environment.PROD, List.of(stack(), service), Map.of()));
        assertEquals(List.of(Severity.WARNING), findings.stream().map(Finding::severity).toList());
        assertEquals(false, Guardrails.hasErrors(findings));
    }

    @Test
    void findingsAreOrderedErrorsFirst() {
        var findings = Guardrails.evaluate(new PlanView(Environment.PROD, List.of(stack(),
                resource("kubernetes:core/v1:Service", "a").input("spec.type", "LoadBalancer")
                        .input("metadata.annotations", Map.of(KubernetesRules.ALLOW_LOAD_BALANCER_ANNOTATION, "true")).build(),
                resource("kubernetes:core/v1:PersistentVolumeClaim", "v").build()), Map.of()));
        assertEquals(List.of(Severity.ERROR, Severity.WARNING), findings.stream().map(Finding::severity).toList());
    }

    @Test
    void everyRuleHasAUniqueKebabCaseId() {
        var ids = Guardrails.defaultRules().stream().map(Rule::id).toList();
        assertEquals(ids.size(), ids.stream().distinct().count());
        ids.forEach(id -> assertEquals(true, id.matches("[a-z]+(-[a-z]+)*"), id));
    }
}
