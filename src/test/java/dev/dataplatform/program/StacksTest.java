package dev.dataplatform.program;

import dev.dataplatform.guardrails.Guardrails;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repository's own stacks plan cleanly: no failure, no guardrail error. */
class StacksTest {
    static final Path ROOT = Path.of("..");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theStackPlansWithoutGuardrailErrors(String stack) {
        var plan = CommittedPlans.of(stack);
        assertTrue(plan.recording().succeeded(), () -> plan.recording().exceptions() + " " + plan.recording().engineErrors());
        assertFalse(Guardrails.hasErrors(plan.findings()), () -> plan.findings().toString());
        assertEquals(stack, plan.recording().outputs().get("environment"));
        assertEquals(stack, plan.config().environment().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod", "local"})
    void noCloudIdentityServesTwoWorkloads(String stack) {
        var plan = CommittedPlans.of(stack);
        assertEquals(List.of(), plan.findings().stream().filter(f -> f.rule().equals("one-identity-per-workload")).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theCommittedStacksReadTheAdminPasswordFromSecretManagerOnUpdateOnly(String stack) {
        var plan = CommittedPlans.of(stack);
        assertEquals(List.of(), plan.findings().stream().filter(f -> f.rule().equals("secret-not-set")).toList(),
                "no secret left to set in the stack file");
        var instance = plan.recording().resources().stream()
                .filter(r -> r.type().equals("gcp:sql/databaseInstance:DatabaseInstance")).findFirst().orElseThrow();
        assertEquals("[unknown]", instance.inputs().get("rootPassword"), "unknown until pulumi up reads it");
        var provider = plan.recording().resources().stream()
                .filter(r -> r.type().equals("pulumi:providers:postgresql") && "gcppostgres".equals(r.inputs().get("scheme")))
                .findFirst().orElseThrow();
        assertEquals("[unknown]", provider.inputs().get("password"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void cloudSqlStacksExportWhatConsumersNeed(String stack) {
        var outputs = CommittedPlans.of(stack).recording().outputs();
        assertEquals(java.util.List.of("pgstac", "dagster", "marquez", "polaris"), outputs.get("cloudSqlDatabases"));
        // One Google service account per workload; only Dagster (pgSTAC writer) logs in as an IAM database user.
        assertEquals(java.util.Map.of("dagster", "data-workloads@acme-data-" + stack + ".iam"), outputs.get("cloudSqlIamUsers"));
        assertEquals("postgresql://data-workloads%40acme-data-" + stack + ".iam@127.0.0.1:5432/pgstac", outputs.get("PGSTAC_URI"));
        assertEquals("acme-data-" + stack + ":europe-west1:data-platform-" + stack, outputs.get("cloudSqlConnectionName"));
        assertEquals(java.util.Map.of(
                "dagster", "data-workloads@acme-data-" + stack + ".iam.gserviceaccount.com",
                "marquez", "dp-marquez@acme-data-" + stack + ".iam.gserviceaccount.com",
                "pgstac-migrator", "dp-pgstac-migrator@acme-data-" + stack + ".iam.gserviceaccount.com"),
                outputs.get("cloudSqlServiceAccountEmails"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void marquezAndThePgstacMigrationRunAsTheirOwnServiceAccountsWithOnlyTheProxysRole(String stack) {
        var plan = CommittedPlans.of(stack);
        String project = "acme-data-" + stack;
        for (var w : java.util.List.of(java.util.List.of("marquez", "dp-marquez", "observability/marquez", "observability-marquez"),
                java.util.List.of("pgstac-migrator", "dp-pgstac-migrator", "pgstac-migrations/pgstac-migrator", "cloudsql-pgstac-service-account"))) {
            String email = w.get(1) + "@" + project + ".iam.gserviceaccount.com";
            var ksa = plan.recording().resources().stream().filter(r -> r.type().equals("kubernetes:core/v1:ServiceAccount")
                    && (r.kubernetesNamespace().orElse("") + "/" + r.kubernetesName().orElse("")).equals(w.get(2))).findFirst().orElseThrow();
            assertEquals(java.util.Map.of("iam.gke.io/gcp-service-account", email), ksa.input("metadata.annotations").orElseThrow(), w.get(0));
            // Workload Identity: one binding on its account, for exactly its KSA.
            var bindings = plan.recording().resources().stream().filter(r -> r.type().equals("gcp:serviceaccount/iAMMember:IAMMember")
                    && String.valueOf(r.inputs().get("member")).endsWith("[" + w.get(2) + "]")).toList();
            assertEquals(java.util.List.of("cloudsql-workload-" + w.get(0) + "-identity"), bindings.stream().map(r -> r.name()).toList());
            // Project roles: the Auth Proxy's connect only (a password login: no IAM database user, no instanceUser).
            var roles = plan.recording().resources().stream().filter(r -> r.type().equals("gcp:projects/iAMMember:IAMMember")
                    && ("serviceAccount:" + email).equals(r.inputs().get("member"))).map(r -> r.inputs().get("role")).toList();
            assertEquals(java.util.List.of("roles/cloudsql.client"), roles, w.get(0));
            assertTrue(plan.recording().resources().stream().noneMatch(r -> ("serviceAccount:" + email).equals(r.inputs().get("member"))
                    && r.type().equals("gcp:storage/bucketIAMMember:BucketIAMMember")), w.get(0) + " has no bucket rights");
        }
        assertTrue(plan.recording().resources().stream().noneMatch(r -> r.type().equals("gcp:sql/user:User")
                && String.valueOf(r.inputs().get("name")).startsWith("dp-")), "no IAM database user for Marquez or the migrator");
        // The warehouse is Polaris's alone (its clients use vended credentials): one member, its own account.
        var warehouse = plan.recording().resources().stream().filter(r -> r.type().equals("gcp:storage/bucketIAMMember:BucketIAMMember")
                && String.valueOf(r.inputs().get("bucket")).contains("warehouse")).map(r -> r.name()).toList();
        assertEquals(List.of("iceberg-catalog-warehouse-access"), warehouse);
    }

    static dev.dataplatform.engine.PlannedResource resource(Plan.Result plan, String type, String name) {
        return plan.recording().resources().stream().filter(r -> r.type().equals(type) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void cloudSqlClientsHaveAPathTheInstanceAccepts(String stack) {
        var plan = CommittedPlans.of(stack);
        String connectionName = "acme-data-" + stack + ":europe-west1:data-platform-" + stack;
        // The deployer's provider: the Cloud SQL connector (mTLS, ephemeral client certificate) to the instance.
        var provider = resource(plan, "pulumi:providers:postgresql", "cloudsql-access");
        assertEquals("gcppostgres", provider.inputs().get("scheme"));
        assertEquals(connectionName, provider.inputs().get("host"));
        assertFalse(provider.inputs().containsKey("sslmode"));
        assertEquals("[unknown]", provider.inputs().get("password"));
        var instance = resource(plan, "gcp:sql/databaseInstance:DatabaseInstance", "cloudsql");
        assertTrue(provider.options().dependsOn().contains(instance.urn()));
        assertEquals(true, instance.input("settings.ipConfiguration.requireSsl").orElseThrow());
        assertEquals(false, instance.input("settings.ipConfiguration.ipv4Enabled").orElseThrow());
        // Dagster's pods: Workload Identity of the workload's service account, and the metadata server reachable.
        var ksa = resource(plan, "kubernetes:core/v1:ServiceAccount", "dagster-service-account");
        assertEquals("data-apps", ksa.input("metadata.namespace").orElseThrow());
        assertEquals("dagster", ksa.input("metadata.name").orElseThrow());
        assertEquals(java.util.Map.of("iam.gke.io/gcp-service-account", "data-workloads@acme-data-" + stack + ".iam.gserviceaccount.com"),
                ksa.input("metadata.annotations").orElseThrow());
        var binding = resource(plan, "gcp:serviceaccount/iAMMember:IAMMember", "cloudsql-workload-dagster-identity");
        assertEquals("serviceAccount:acme-data-" + stack + ".svc.id.goog[data-apps/dagster]", binding.inputs().get("member"));
        for (int i = 0; i < dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS.size(); i++) {
            var endpoint = dev.dataplatform.kubernetes.GkeMetadataServer.ENDPOINTS.get(i);
            var policy = resource(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "dagster-allow-metadata-server-" + i);
            assertEquals("data-apps", policy.input("metadata.namespace").orElseThrow());
            assertTrue(policy.input("spec.egress").orElseThrow().toString().contains(endpoint.cidr()));
        }
        // Bucket bindings for the workload's service account wait for it (created in this stack).
        var account = resource(plan, "gcp:serviceaccount/account:Account", "cloudsql-workload-dagster");
        // Dagster keeps the account all workloads shared before: its former names are aliases (same URNs, no delete).
        assertEquals("data-workloads", account.inputs().get("accountId"));
        for (var kept : java.util.Map.of("cloudsql-workload-dagster", "cloudsql-workload", "cloudsql-workload-dagster-identity",
                "cloudsql-workload-identity", "cloudsql-iam-user-dagster", "cloudsql-iam-user").entrySet()) {
            var r = plan.recording().resources().stream().filter(x -> x.name().equals(kept.getKey())).findFirst().orElseThrow();
            assertTrue(r.options().aliases().stream().anyMatch(a -> a instanceof java.util.Map<?, ?> m && kept.getValue().equals(m.get("name"))),
                    kept.getKey() + " " + r.options().aliases());
        }
        var workloadBindings = plan.recording().resources().stream()
                .filter(r -> r.type().equals("gcp:storage/bucketIAMMember:BucketIAMMember")
                        && String.valueOf(r.inputs().get("member")).startsWith("serviceAccount:data-workloads@")).toList();
        assertFalse(workloadBindings.isEmpty());
        workloadBindings.forEach(b -> assertTrue(b.options().dependsOn().contains(account.urn()), b.name()));
        // Backups: more retained backups than days of transaction logs (the API refuses otherwise).
        long retained = (Long) instance.input("settings.backupConfiguration.backupRetentionSettings.retainedBackups").orElseThrow();
        long logDays = (Long) instance.input("settings.backupConfiguration.transactionLogRetentionDays").orElseThrow();
        assertTrue(retained > logDays, retained + " backups, " + logDays + " days of logs");
        assertEquals(stack.equals("dev") ? java.util.List.of(2L, 1L) : java.util.List.of(30L, 7L), java.util.List.of(retained, logDays));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stage", "prod"})
    void rdsConvergesInOneUpWithTheManagedMasterSecretAndSafeCreateOrder(String stack) {
        var plan = CommittedPlans.of(stack);
        var provider = resource(plan, "pulumi:providers:postgresql", "rds-access");
        assertEquals("awspostgres", provider.inputs().get("scheme"));
        assertEquals("platform_admin", provider.inputs().get("username"));
        assertEquals("[unknown]", provider.inputs().get("password"), "read from the RDS-managed secret at deploy time");
        assertFalse(provider.inputs().containsKey("awsRdsIamAuth"));
        assertTrue(plan.recording().resources().stream().anyMatch(r -> r.type().equals("postgresql:index/role:Role")),
                "roles and grants are declared on the first up: no manageRoles step");
        var instance = resource(plan, "aws:rds/instance:Instance", "rds");
        var attachment = resource(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "rds-monitoring");
        assertTrue(instance.options().dependsOn().contains(attachment.urn()), "enhanced monitoring's policy is attached first");
        var iamLogins = plan.recording().resources().stream()
                .filter(r -> r.type().equals("postgresql:index/grantRole:GrantRole") && "rds_iam".equals(r.inputs().get("grantRole")))
                .count();
        assertTrue(iamLogins >= 2, "every login connects with IAM tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stage", "prod"})
    void rdsStacksAreMultiAzWhereItMattersAndExportWhatConsumersNeed(String stack) {
        var plan = CommittedPlans.of(stack);
        var instance = plan.recording().resources().stream()
                .filter(r -> r.type().equals("aws:rds/instance:Instance")).findFirst().orElseThrow();
        assertEquals(stack.equals("prod"), instance.inputs().get("multiAz"));
        assertEquals(true, instance.inputs().get("deletionProtection"));
        assertTrue(instance.options().protect());
        var outputs = plan.recording().outputs();
        assertEquals(stack.equals("stage") ? java.util.List.of("metadata", "dagster", "polaris") : java.util.List.of("metadata"),
                outputs.get("rdsDatabases"));
        for (String key : java.util.List.of("rdsEndpoint", "rdsAddress", "rdsArn", "rdsResourceId", "rdsMasterSecretArn", "rdsSecurityGroupId")) {
            assertEquals("[unknown]", outputs.get(key), key + " is known once the instance exists");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyStackHasRawAndCuratedBucketsAndRawIsKeptOutsideDev(String stack) {
        var plan = CommittedPlans.of(stack);
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
    void theConnectivityPageHasTheConnectionTableAndNoManualSqlStep() throws Exception {
        String page = java.nio.file.Files.readString(ROOT.resolve("docs/connectivity.md"));
        assertTrue(page.contains("| Client | Path | Auth | TLS |"), "the connection table");
        assertTrue(page.contains("## Deployer prerequisites"));
        assertFalse(page.matches("(?s).*\\b(GRANT|ALTER ROLE|CREATE ROLE)\\b.*"), "a new RDS stack needs no SQL by hand");
    }

    @org.junit.jupiter.api.Test
    void theManageRolesEscapeHatchDeclaresNoRoles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.copy(ROOT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        String stage = java.nio.file.Files.readString(ROOT.resolve("Pulumi.stage.yaml"))
                .replace("    ssmParameterName:", "    manageRoles: false\n    ssmParameterName:");
        java.nio.file.Files.writeString(dir.resolve("Pulumi.stage.yaml"), stage);
        var plan = Plan.run(dir, "stage");
        assertTrue(plan.recording().resources().stream().anyMatch(r -> r.type().equals("aws:rds/instance:Instance")));
        assertTrue(plan.recording().resources().stream().noneMatch(r -> r.type().startsWith("postgresql:")
                || r.type().equals("pulumi:providers:postgresql")), "no provider and no roles with the escape hatch");
        assertEquals(java.util.List.of(), plan.recording().outputs().get("rdsDatabases"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyStackRunsDagsterAndTheCollectorAndExportsTheirEndpoints(String stack) {
        var plan = CommittedPlans.of(stack);
        var outputs = plan.recording().outputs();
        String dagsterNamespace = stack.equals("stage") ? "dagster" : "data-apps";
        assertEquals("http://dagster-dagster-webserver." + dagsterNamespace + ".svc.cluster.local:8080", outputs.get("dagsterWebserver"));
        assertEquals(stack.equals("dev") ? outputs.get("dagsterWebserver")
                : "http://dagster-auth-proxy." + dagsterNamespace + ".svc.cluster.local:4180", outputs.get("dagsterUi"),
                "outside dev users reach the UI through the authenticating proxy");
        assertEquals("http://otel-collector.observability.svc.cluster.local:4317", outputs.get("otlpGrpcEndpoint"));
        assertEquals("http://otel-collector.observability.svc.cluster.local:4318", outputs.get("otlpHttpEndpoint"));
        assertEquals(stack.equals("dev"), outputs.containsKey("jaegerUi"), "Jaeger runs in dev only");
        assertEquals(!stack.equals("stage"), outputs.containsKey("marquezApiUrl"), "Marquez runs where Cloud SQL is");
        var release = plan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:helm.sh/v3:Release") && r.name().equals("dagster")).findFirst().orElseThrow();
        var memory = java.util.Map.of("dev", "4Gi", "stage", "8Gi", "prod", "16Gi").get(stack);
        assertEquals(memory, release.input("values.runLauncher.config.customRunLauncher.config.resources.limits.memory").orElseThrow());
        assertEquals(stack.equals("stage") ? java.util.Map.of("type", "aws_wif", "awsRegion", "eu-west-1") : null,
                release.input("values.postgresql.authProvider").orElse(null));
    }
}
