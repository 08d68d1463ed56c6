package dev.dataplatform.program;

import dev.dataplatform.guardrails.Guardrails;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repository's own stacks plan cleanly: no failure, no guardrail error. */
class StacksTest {
    static final Path ROOT = Path.of("..");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theStackPlansWithoutGuardrailErrors(String stack) {
        var plan = Plan.run(ROOT, stack);
        assertTrue(plan.recording().succeeded(), () -> plan.recording().exceptions() + " " + plan.recording().engineErrors());
        assertFalse(Guardrails.hasErrors(plan.findings()), () -> plan.findings().toString());
        assertEquals(stack, plan.recording().outputs().get("environment"));
        assertEquals(stack, plan.config().environment().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theCommittedStacksLeaveTheAdminPasswordToOperatorsAndThePlanSaysSo(String stack) {
        var plan = Plan.run(ROOT, stack);
        var warnings = plan.findings().stream().filter(f -> f.rule().equals("secret-not-set")).toList();
        assertEquals(1, warnings.size(), plan.findings().toString());
        assertEquals(dev.dataplatform.guardrails.Severity.WARNING, warnings.get(0).severity());
        assertTrue(warnings.get(0).message().startsWith("data-platform:cloudSql.adminPassword is not set in Pulumi." + stack + ".yaml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void cloudSqlStacksExportWhatConsumersNeed(String stack) {
        var outputs = Plan.run(ROOT, stack).recording().outputs();
        assertEquals(java.util.List.of("pgstac", "dagster", "marquez"), outputs.get("cloudSqlDatabases"));
        assertEquals("data-workloads@acme-data-" + stack + ".iam", outputs.get("cloudSqlIamUser"));
        assertEquals("postgresql://data-workloads%40acme-data-" + stack + ".iam@127.0.0.1:5432/pgstac", outputs.get("PGSTAC_URI"));
        assertEquals("[unknown]", outputs.get("cloudSqlConnectionName"), "known only once the instance exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stage", "prod"})
    void rdsStacksAreMultiAzWhereItMattersAndExportWhatConsumersNeed(String stack) {
        var plan = Plan.run(ROOT, stack);
        var instance = plan.recording().resources().stream()
                .filter(r -> r.type().equals("aws:rds/instance:Instance")).findFirst().orElseThrow();
        assertEquals(stack.equals("prod"), instance.inputs().get("multiAz"));
        assertEquals(true, instance.inputs().get("deletionProtection"));
        assertTrue(instance.options().protect());
        var outputs = plan.recording().outputs();
        assertEquals(stack.equals("stage") ? java.util.List.of("metadata", "dagster") : java.util.List.of("metadata"),
                outputs.get("rdsDatabases"));
        for (String key : java.util.List.of("rdsEndpoint", "rdsAddress", "rdsArn", "rdsResourceId", "rdsMasterSecretArn", "rdsSecurityGroupId")) {
            assertEquals("[unknown]", outputs.get(key), key + " is known once the instance exists");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyStackHasRawAndCuratedBucketsAndRawIsKeptOutsideDev(String stack) {
        var plan = Plan.run(ROOT, stack);
        @SuppressWarnings("unchecked")
        var names = (java.util.Map<String, String>) plan.recording().outputs().get("bucketNames");
        assertEquals("acme-lake-" + stack + "-raw", names.get("raw"));
        assertEquals("acme-lake-" + stack + "-curated", names.get("curated"));
        var raw = plan.recording().resources().stream()
                .filter(r -> r.name().equals("buckets-raw")
                        && (r.type().equals("aws:s3/bucketV2:BucketV2") || r.type().equals("gcp:storage/bucket:Bucket")))
                .findFirst().orElseThrow();
        assertEquals(!stack.equals("dev"), raw.options().protect());
        assertEquals(!stack.equals("dev"), raw.options().retainOnDelete());
    }

    @org.junit.jupiter.api.Test
    void aNewRdsInstanceCanBeDeployedBeforeItsRolesAreManaged(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.copy(ROOT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        String stage = java.nio.file.Files.readString(ROOT.resolve("Pulumi.stage.yaml"))
                .replace("    ssmParameterName:", "    manageRoles: false\n    ssmParameterName:");
        java.nio.file.Files.writeString(dir.resolve("Pulumi.stage.yaml"), stage);
        var plan = Plan.run(dir, "stage");
        assertTrue(plan.recording().resources().stream().anyMatch(r -> r.type().equals("aws:rds/instance:Instance")));
        assertTrue(plan.recording().resources().stream().noneMatch(r -> r.type().startsWith("postgresql:")
                || r.type().equals("pulumi:providers:postgresql")), "no roles before the master user may use IAM");
        assertEquals(java.util.List.of(), plan.recording().outputs().get("rdsDatabases"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyStackRunsDagsterAndTheCollectorAndExportsTheirEndpoints(String stack) {
        var plan = Plan.run(ROOT, stack);
        var outputs = plan.recording().outputs();
        String dagsterNamespace = stack.equals("stage") ? "dagster" : "data-apps";
        assertEquals("http://dagster-dagster-webserver." + dagsterNamespace + ".svc.cluster.local:80", outputs.get("dagsterWebserver"));
        assertEquals("http://otel-collector.observability.svc.cluster.local:4317", outputs.get("otlpGrpcEndpoint"));
        assertEquals("http://otel-collector.observability.svc.cluster.local:4318", outputs.get("otlpHttpEndpoint"));
        assertEquals(stack.equals("dev"), outputs.containsKey("jaegerUi"), "Jaeger runs in dev only");
        assertEquals(!stack.equals("stage"), outputs.containsKey("marquezApiUrl"), "Marquez runs where Cloud SQL is");
        var release = plan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:helm.sh/v3:Release") && r.name().equals("dagster")).findFirst().orElseThrow();
        var memory = java.util.Map.of("dev", "4Gi", "stage", "8Gi", "prod", "16Gi").get(stack);
        assertEquals(memory, release.input("values.runLauncher.config.k8sRunLauncher.resources.limits.memory").orElseThrow());
        assertEquals(stack.equals("stage") ? java.util.Map.of("type", "aws_wif", "awsRegion", "eu-west-1") : null,
                release.input("values.postgresql.authProvider").orElse(null));
    }
}
