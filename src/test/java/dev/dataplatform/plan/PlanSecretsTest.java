package dev.dataplatform.plan;

import com.google.gson.JsonParser;
import com.pulumi.aws.ssm.Parameter;
import com.pulumi.aws.ssm.ParameterArgs;
import com.pulumi.core.Output;
import com.pulumi.gcp.storage.Bucket;
import com.pulumi.gcp.storage.BucketArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;

import static dev.dataplatform.plan.CliTest.plan;
import static dev.dataplatform.plan.CliTest.project;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A planted secret appears nowhere the plan prints: JSON, text, findings, errors, whatever the exit code. */
class PlanSecretsTest {
    static final String PLANTED = "Planted-9c2e-Secret";
    static final String URL = "https://r2-backups:" + PLANTED + "@acme.r2.cloudflarestorage.com/backups";

    static void assertNowhere(CliTest.Outcome outcome) {
        assertFalse(outcome.out().contains(PLANTED), "stdout shows the secret");
        assertFalse(outcome.err().contains(PLANTED), "stderr shows the secret: " + outcome.err());
    }

    @Test
    void flaggedInputsAndOutputsAreMaskedInTheJsonAndTextPlans(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        for (boolean json : new boolean[]{true, false}) {
            var args = new ArrayList<>(java.util.List.of("plan", "--stack", "dev", "--cwd", dir.toString()));
            if (json) {
                args.add("--json");
            }
            var outcome = plan((ctx, config) -> {
                new Parameter("backups-endpoint", ParameterArgs.builder().type("String").value(URL).build());
                new Parameter("backups-password", ParameterArgs.builder().type("String").value("x")
                        .tags(java.util.Map.of("apiToken", PLANTED)).build());
                ctx.export("backupsEndpoint", Output.of(URL));
            }, args.toArray(String[]::new));

            assertEquals(Cli.GUARDRAIL_ERROR, outcome.code(), outcome.err());
            assertNowhere(outcome);
            assertTrue(outcome.out().contains("https://r2-backups:[secret]@acme.r2.cloudflarestorage.com/backups"),
                    "the URI stays readable, its password masked");
            if (json) {
                var document = JsonParser.parseString(outcome.out()).getAsJsonObject();
                var rules = new ArrayList<String>();
                document.getAsJsonArray("findings").forEach(f -> rules.add(f.getAsJsonObject().get("message").getAsString()));
                assertTrue(rules.stream().anyMatch(m -> m.startsWith("input 'value' holds a secret")), rules.toString());
                assertTrue(rules.stream().anyMatch(m -> m.startsWith("input 'tags.apiToken' holds a secret")), rules.toString());
                assertTrue(rules.stream().anyMatch(m -> m.startsWith("stack output 'backupsEndpoint'")), rules.toString());
            }
        }
    }

    @Test
    void aProgramFailureDoesNotEchoACredentialInAUrl(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        var outcome = plan((ctx, config) -> {
            throw new IllegalArgumentException("cannot reach " + URL);
        }, "plan", "--stack", "dev", "--json", "--cwd", dir.toString());

        assertEquals(Cli.PROGRAM_FAILED, outcome.code());
        assertNowhere(outcome);
        assertTrue(outcome.err().contains("cannot reach https://r2-backups:[secret]@acme.r2.cloudflarestorage.com"), outcome.err());
    }

    @Test
    void aStackFileWithACredentialInAnEndpointNeverPrintsIt(@TempDir Path dir) throws IOException {
        // Refused by the config (exit 2) or by the guardrail (exit 1): either way the password stays hidden.
        project(dir, "prod", """
                config:
                  data-platform:environment: prod
                  data-platform:tenants:
                    aws: {accountId: "123456789012", region: eu-west-1, oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A}
                    backups:
                      bucket: acme-tenant-backups-prod
                      endpoint: %s
                      credentialsParameter: /data-platform/prod/r2-backups
                    clients:
                      - name: globex
                """.formatted(URL));
        for (String format : new String[]{"--json", "--stack"}) {
            var args = format.equals("--json") ? new String[]{"plan", "--stack", "prod", "--json", "--cwd", dir.toString()}
                    : new String[]{"plan", "--stack", "prod", "--cwd", dir.toString()};
            var outcome = plan(args);
            assertTrue(outcome.code() == Cli.INVALID || outcome.code() == Cli.GUARDRAIL_ERROR, outcome.code() + ": " + outcome.err());
            assertNowhere(outcome);
            assertTrue((outcome.out() + outcome.err()).contains("endpoint"), "the problem names the key: " + outcome.err());
        }
    }

    @Test
    void twoResourcesWithOneUrnFailThePlanAsTheEngineWould(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        var outcome = plan((ctx, config) -> {
            new Bucket("raw", BucketArgs.builder().location("EU").build());
            new Bucket("raw", BucketArgs.builder().location("EU").build());
        }, "plan", "--stack", "dev", "--json", "--cwd", dir.toString());

        assertEquals(Cli.PROGRAM_FAILED, outcome.code());
        assertEquals("", outcome.out(), "no half plan");
        assertTrue(outcome.err().contains("Duplicate resource URN 'urn:pulumi:dev::data-platform::gcp:storage/bucket:Bucket::raw'; "
                + "try giving it a unique name"), outcome.err());
    }
}
