package dev.dataplatform.guardrails;

import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.dataplatform.testing.Resources.resource;
import static dev.dataplatform.testing.Resources.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guardrail findings never show a secret, and no hostile value makes the secret guardrail slow. */
class GuardrailSecretsTest {
    static final String PLANTED = "planted-Secret-4f1c";
    static final Duration BOUND = Duration.ofSeconds(1);

    @Test
    void aUriPasswordIsReportedByPathWithoutItsValue() {
        var plan = new PlanView(Environment.DEV, List.of(stack(),
                resource("aws:ssm/parameter:Parameter", "backups").input("value", "https://r2:" + PLANTED + "@r2.example.com").build()),
                Map.of("endpoint", "https://r2:" + PLANTED + "@r2.example.com"));

        var findings = Guardrails.evaluate(plan);

        assertEquals(List.of("input 'value'", "stack output 'endpoint'"), findings.stream()
                .filter(f -> f.rule().equals("no-plaintext-secrets"))
                .map(f -> f.message().substring(0, f.message().indexOf("' ") + 1)).sorted().toList());
        findings.forEach(f -> assertFalse(f.toString().contains(PLANTED), f.toString()));
    }

    @Test
    void aRuleThatEchoesAValueHasTheSecretMasked() {
        // A rule quoting the value it checks (as several do: roles, ARNs, names) must not leak a secret through it.
        var echo = new Rule("echo", "quotes inputs", view -> view.resources().stream()
                .flatMap(r -> r.inputs().values().stream().map(v -> new Finding("echo", Severity.WARNING, r.urn(), "saw '" + v + "'")))
                .toList());
        var plan = new PlanView(Environment.DEV, List.of(stack(),
                resource("gcp:sql/user:User", "app").input("password", PLANTED).build(),
                resource("aws:ssm/parameter:Parameter", "url").input("value", "postgresql://app:" + PLANTED + "x@db/app").build(),
                resource("aws:ssm/parameter:Parameter", "plain").input("value", "eu-west-1").build()),
                Map.of());

        var messages = Guardrails.evaluate(plan, List.of(echo, SecretRules.noPlaintextSecrets())).stream()
                .map(Finding::message).toList();

        assertTrue(messages.contains("saw '[secret]'"), messages.toString());
        assertTrue(messages.contains("saw 'postgresql://app:[secret]@db/app'"), messages.toString());
        assertTrue(messages.contains("saw 'eu-west-1'"), "values that are not secrets are left alone: " + messages);
        messages.forEach(m -> assertFalse(m.contains(PLANTED), m));
    }

    @Test
    void hugeValuesAreCheckedWithinTheBound() {
        // A kmsKeyId of 5k-50k letters took the former pattern seconds to minutes; 100k letters now take milliseconds.
        int length = 100_000;
        var resources = List.<PlannedResource>of(stack(),
                resource("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "sse")
                        .input("rules", List.of(Map.of("applyServerSideEncryptionByDefault", Map.of("kmsMasterKeyId", "k".repeat(length)))))
                        .build(),
                resource("gcp:storage/bucketIAMMember:BucketIAMMember", "m")
                        .input("member", "user:" + "a@".repeat(length / 2) + " ").build(),
                resource("aws:ssm/parameter:Parameter", "p").input("value", "a://".repeat(length / 4)).build(),
                resource("aws:ssm/parameter:Parameter", "q").input("k".repeat(length) + "Token", "x:".repeat(length / 2)).build());
        var plan = new PlanView(Environment.PROD, resources, Map.of("huge", "h://u:" + "p".repeat(length)));

        var findings = assertTimeoutPreemptively(BOUND, () -> SecretRules.noPlaintextSecrets().evaluate(plan));

        assertEquals(1, findings.size(), () -> findings.stream().map(Finding::resource).toList().toString());
        assertTrue(findings.get(0).resource().endsWith("::q"));
    }
}
