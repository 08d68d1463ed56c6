package dev.dataplatform.stackgres;

import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KEDA operator's IRSA annotation is declared by the program, not left to a prerequisite. */
class KedaOperatorIdentityTest {
    @Test
    void theOperatorsServiceAccountIsAnnotatedWithARoleOnlyItCanAssume() {
        var aws = new StackGresTenant.AwsIdentity("123456789012", "eu-west-1", "oidc.eks.eu-west-1.amazonaws.com/id/ABC");
        var run = Harness.preview(Environment.STAGE, ctx -> new KedaOperatorIdentity("keda-operator-identity",
                new KedaOperatorIdentity.Args(Environment.STAGE, aws, "keda", Map.of()), ComponentResourceOptions.Empty)).succeeded();
        var role = run.resource("aws:iam/role:Role", "keda-operator-identity-role");
        assertEquals("dp-stage-keda-operator", role.input("name").orElseThrow());
        String trust = String.valueOf(role.input("assumeRolePolicy").orElseThrow());
        assertTrue(trust.contains("system:serviceaccount:keda:keda-operator"), trust);
        assertTrue(trust.contains("sts:AssumeRoleWithWebIdentity"), trust);
        var patch = run.resource("kubernetes:core/v1:ServiceAccountPatch", "keda-operator-identity-annotation");
        assertEquals("keda-operator", patch.input("metadata.name").orElseThrow());
        assertEquals("keda", patch.input("metadata.namespace").orElseThrow());
        // The role's ARN is known after deployment; the annotation's key is what EKS's webhook looks for.
        assertTrue(patch.input("metadata.annotations").isPresent(), patch.inputs().toString());
    }
}
