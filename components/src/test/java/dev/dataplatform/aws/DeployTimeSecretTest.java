package dev.dataplatform.aws;

import com.pulumi.Context;
import com.pulumi.aws.rds.Instance;
import com.pulumi.aws.rds.InstanceArgs;
import com.pulumi.core.Output;
import com.pulumi.core.internal.OutputData;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.internal.PulumiTestInternal;
import dev.dataplatform.gcp.CloudSqlDatabase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Previews read no secret value: on the SDK's own deployment code (its test engine), with an RDS
 * instance that already exists (its master secret's ARN known, as it is from state in a real preview),
 * a preview calls no invoke and the passwords are unknown secrets; an update reads them.
 */
class DeployTimeSecretTest {
    static final String RDS_SECRET = "{\"username\":\"platform_admin\",\"password\":\"rds-master-value\"}";

    /** Mocks that return the instance's master secret ARN as known and answer both secret reads. */
    static final class CloudMocks implements Mocks {
        final List<String> invokes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
            var outputs = new java.util.HashMap<String, Object>(args.inputs);
            if (args.type.equals("aws:rds/instance:Instance")) {
                outputs.put("masterUserSecrets", List.of(Map.of("secretArn", "arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-1",
                        "secretStatus", "active")));
            }
            return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(args.name + "-id"), outputs));
        }

        @Override
        public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
            invokes.add(args.token);
            return CompletableFuture.completedFuture(switch (args.token) {
                case "aws:secretsmanager/getSecretVersion:getSecretVersion" -> Map.of("secretString", RDS_SECRET,
                        "arn", "a", "id", "i", "secretBinary", "", "secretId", "s", "versionId", "v", "versionStages", List.of(),
                        "createdDate", "d");
                case "gcp:secretmanager/getSecretVersionAccess:getSecretVersionAccess" -> Map.of("secretData", "cloudsql-admin-value",
                        "id", "i", "name", "n", "project", "p", "secret", "s", "version", "latest");
                default -> throw new AssertionError("unexpected invoke " + args.token);
            });
        }
    }

    record Outcome(List<String> invokes, OutputData<?> rds, OutputData<?> cloudSql) {
    }

    static Outcome run(boolean preview) throws Exception {
        var mocks = new CloudMocks();
        var captured = new ArrayList<Output<String>>();
        Consumer<Context> program = ctx -> {
            var instance = new Instance("metadata", InstanceArgs.builder().engine("postgres").instanceClass("db.t4g.micro")
                    .manageMasterUserPassword(true).build(), CustomResourceOptions.Empty);
            captured.add(RdsDatabase.masterPassword(instance, instance));
            captured.add(CloudSqlDatabase.adminPasswordFromSecretManager("acme-data-prod", "cloudsql-admin"));
            ctx.export("rds", captured.get(0));
            ctx.export("cloudSql", captured.get(1));
        };
        try {
            var result = PulumiTestInternal.builder()
                    .options(TestOptions.builder().projectName("data-platform").stackName("prod").preview(preview).build())
                    .mocks(mocks)
                    .build().runTestAsync(program).get(60, TimeUnit.SECONDS);
            assertTrue(result.exceptions().isEmpty(), result.exceptions().toString());
            return new Outcome(List.copyOf(mocks.invokes), PulumiTestInternal.extractOutputData(result.outputs().get("rds")),
                    PulumiTestInternal.extractOutputData(result.outputs().get("cloudSql")));
        } finally {
            PulumiTest.cleanup();
        }
    }

    @Test
    void aPreviewReadsNoSecretAndLeavesThePasswordsUnknown() throws Exception {
        var outcome = run(true);

        assertEquals(List.of(), outcome.invokes(), "no secret read in a preview");
        for (var password : List.of(outcome.rds(), outcome.cloudSql())) {
            assertFalse(password.isKnown(), "unknown in a preview");
            assertTrue(password.isSecret(), "and still a secret");
        }
    }

    @Test
    void withoutTheGuardTheSdkReadsTheSecretInAPreview() throws Exception {
        // The SDK fact the guard exists for: an output-form invoke with known arguments runs in a preview.
        var mocks = new CloudMocks();
        try {
            var result = PulumiTestInternal.builder()
                    .options(TestOptions.builder().projectName("data-platform").stackName("prod").preview(true).build())
                    .mocks(mocks)
                    .build().runTestAsync(ctx -> ctx.export("raw", com.pulumi.gcp.secretmanager.SecretmanagerFunctions
                            .getSecretVersionAccess(com.pulumi.gcp.secretmanager.inputs.GetSecretVersionAccessArgs.builder()
                                    .project("acme-data-prod").secret("cloudsql-admin").build())
                            .applyValue(r -> r.secretData())))
                    .get(60, TimeUnit.SECONDS);
            assertTrue(result.exceptions().isEmpty(), result.exceptions().toString());
            assertEquals(List.of("gcp:secretmanager/getSecretVersionAccess:getSecretVersionAccess"), mocks.invokes);
        } finally {
            PulumiTest.cleanup();
        }
    }

    @Test
    void anUpdateReadsBothSecretsAsSecrets() throws Exception {
        var outcome = run(false);

        assertEquals(List.of("aws:secretsmanager/getSecretVersion:getSecretVersion",
                "gcp:secretmanager/getSecretVersionAccess:getSecretVersionAccess"), outcome.invokes().stream().sorted().toList());
        assertEquals("rds-master-value", outcome.rds().getValueNullable());
        assertEquals("cloudsql-admin-value", outcome.cloudSql().getValueNullable());
        assertTrue(outcome.rds().isSecret() && outcome.cloudSql().isSecret());
    }
}
