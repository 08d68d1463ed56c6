package dev.dataplatform.gcp;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.core.Environment;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.postgresql.GrantRole;
import dev.dataplatform.postgresql.Provider;
import dev.dataplatform.postgresql.Role;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudSqlDatabaseTest {
    static final String INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance";

    /** What the prod stack would pass; tests change one thing at a time. */
    static CloudSqlDatabase.Args.Builder prod() {
        return CloudSqlDatabase.Args.builder()
                .project("acme-data-prod")
                .region("europe-west1")
                .privateNetwork("projects/acme-data-prod/global/networks/data")
                .instanceName("data-platform-prod")
                .tier("db-custom-4-16384")
                .diskAutoresizeLimitGb(500)
                .highAvailability(true)
                .deletionProtection(true)
                .protect(true)
                .backupRetentionDays(14)
                .pointInTimeRecovery(true)
                .labels(Map.of("environment", "prod"))
                .adminPassword(Output.of("root-secret"))
                .databases(List.of(new DatabaseModel("pgstac", List.of(), List.of(), true, List.of())))
                .workload(new CloudSqlDatabase.Workload("dagster-workload", Access.WRITER, "data-apps", "dagster"));
    }

    static Harness.Run run(Environment environment, CloudSqlDatabase.Args args) {
        return Harness.preview(environment, ctx -> {
            var db = new CloudSqlDatabase("catalog", args, ComponentResourceOptions.Empty);
            ctx.export("connectionName", db.connectionName);
            ctx.export("proxyUris", db.proxyUris);
            ctx.export("iamUser", db.iamUser);
        }).succeeded();
    }

    @Test
    void prodCloudSqlIsRegionalProtectedAndPassesTheGuardrails() {
        var run = run(Environment.PROD, prod().build());
        var instance = run.resource(INSTANCE, "catalog");
        assertEquals("REGIONAL", run.input(INSTANCE, "catalog", "settings.availabilityType"));
        assertEquals(true, instance.inputs().get("deletionProtection"));
        assertEquals(true, run.input(INSTANCE, "catalog", "settings.deletionProtectionEnabled"));
        assertTrue(instance.options().protect());
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void theInstanceHasOnlyAPrivateIpAndRequiresTls() {
        var run = run(Environment.PROD, prod().build());
        assertEquals(false, run.input(INSTANCE, "catalog", "settings.ipConfiguration.ipv4Enabled"));
        assertEquals("projects/acme-data-prod/global/networks/data", run.input(INSTANCE, "catalog", "settings.ipConfiguration.privateNetwork"));
        assertEquals(true, run.input(INSTANCE, "catalog", "settings.ipConfiguration.requireSsl"));
        assertTrue(run.resource(INSTANCE, "catalog").input("settings.ipConfiguration.authorizedNetworks").isEmpty());
    }

    @Test
    void backupsPitrMaintenanceInsightsAndDiskFollowTheArgs() {
        var run = run(Environment.PROD, prod().build());
        assertEquals(true, run.input(INSTANCE, "catalog", "settings.backupConfiguration.enabled"));
        assertEquals(true, run.input(INSTANCE, "catalog", "settings.backupConfiguration.pointInTimeRecoveryEnabled"));
        assertEquals(14L, run.input(INSTANCE, "catalog", "settings.backupConfiguration.backupRetentionSettings.retainedBackups"));
        assertEquals(7L, run.input(INSTANCE, "catalog", "settings.backupConfiguration.transactionLogRetentionDays"));
        assertEquals(7L, run.input(INSTANCE, "catalog", "settings.maintenanceWindow.day"));
        assertEquals(3L, run.input(INSTANCE, "catalog", "settings.maintenanceWindow.hour"));
        assertEquals(true, run.input(INSTANCE, "catalog", "settings.insightsConfig.queryInsightsEnabled"));
        assertEquals(true, run.input(INSTANCE, "catalog", "settings.diskAutoresize"));
        assertEquals(500L, run.input(INSTANCE, "catalog", "settings.diskAutoresizeLimit"));
        assertEquals("POSTGRES_15", run.input(INSTANCE, "catalog", "databaseVersion"));
        assertEquals("prod", run.input(INSTANCE, "catalog", "settings.userLabels.environment"));
        assertEquals("[secret]", run.input(INSTANCE, "catalog", "rootPassword"));
    }

    @Test
    void iamAuthenticationIsAlwaysOnAndExtraFlagsAreKept() {
        var run = run(Environment.PROD, prod().flags(Map.of("log_min_duration_statement", "500")).build());
        assertEquals(List.of(Map.of("name", "cloudsql.iam_authentication", "value", "on"),
                        Map.of("name", "log_min_duration_statement", "value", "500")),
                run.input(INSTANCE, "catalog", "settings.databaseFlags"));
    }

    @Test
    void theWorkloadServiceAccountHasOnlyTheTwoCloudSqlRoles() {
        var run = run(Environment.PROD, prod().build());
        var roles = run.all("gcp:projects/iAMMember:IAMMember").stream().map(r -> r.inputs().get("role")).sorted().toList();
        assertEquals(List.of("roles/cloudsql.client", "roles/cloudsql.instanceUser"), roles);
        assertEquals("dagster-workload", run.input("gcp:serviceaccount/account:Account", "catalog-workload", "accountId"));
        var wi = run.resource("gcp:serviceaccount/iAMMember:IAMMember", "catalog-workload-identity");
        assertEquals("roles/iam.workloadIdentityUser", wi.inputs().get("role"));
        assertEquals("serviceAccount:acme-data-prod.svc.id.goog[data-apps/dagster]", wi.inputs().get("member"));
    }

    @Test
    void theIamDatabaseUserIsTheEmailWithoutTheSuffixAndJoinsTheWriterRole() {
        var run = run(Environment.PROD, prod().build());
        var user = run.resource("gcp:sql/user:User", "catalog-iam-user");
        assertEquals("CLOUD_IAM_SERVICE_ACCOUNT", user.inputs().get("type"));
        assertEquals("dagster-workload@acme-data-prod.iam", user.inputs().get("name"));
        assertTrue(run.all(Role.TYPE).stream().noneMatch(r -> "dagster-workload@acme-data-prod.iam".equals(r.inputs().get("name"))),
                "Cloud SQL creates the IAM user's role; the postgresql provider must not");
        var membership = run.resource(GrantRole.TYPE, "catalog-access-member-dagster-workload@acme-data-prod.iam-in-pgstac_writer");
        assertTrue(membership.options().dependsOn().contains(user.urn()));
    }

    @Test
    void aReaderWorkloadJoinsTheReaderRole() {
        var run = run(Environment.DEV, prod().workload(new CloudSqlDatabase.Workload("api-workload", Access.READER, "apis", "stac-api")).build());
        run.resource(GrantRole.TYPE, "catalog-access-member-api-workload@acme-data-prod.iam-in-pgstac_reader");
    }

    @Test
    void thePostgresqlProviderDialsTheInstanceConnectionNameThroughTheCloudSqlConnector() {
        var run = run(Environment.PROD, prod().build());
        var provider = run.resource(Provider.TYPE, "catalog-access");
        assertEquals("gcppostgres", provider.inputs().get("scheme"), "mTLS with an ephemeral client certificate: requireSsl holds");
        assertEquals("acme-data-prod:europe-west1:data-platform-prod", provider.inputs().get("host"));
        assertFalse(provider.inputs().containsKey("sslmode"), "the gcppostgres scheme ignores sslmode: TLS is the connector's");
        assertEquals("postgres", provider.inputs().get("username"));
        assertEquals("[secret]", provider.inputs().get("password"));
        assertTrue(provider.options().dependsOn().contains(run.resource(INSTANCE, "catalog").urn()),
                "the provider is configured only once the instance exists");
        assertTrue(run.resource(dev.dataplatform.postgresql.Database.TYPE, "catalog-access-database-pgstac").options().protect());
        assertFalse(run.recording().toString().contains("root-secret"));
    }

    @Test
    void exportsTheProxyUriWithTheEncodedIamUser() {
        var run = run(Environment.PROD, prod().build());
        assertEquals("dagster-workload@acme-data-prod.iam", run.output("iamUser"));
        assertEquals(Map.of("pgstac", "postgresql://dagster-workload%40acme-data-prod.iam@127.0.0.1:5432/pgstac"),
                run.output("proxyUris"));
        assertEquals("acme-data-prod:europe-west1:data-platform-prod", run.output("connectionName"), "known offline");
    }

    @ParameterizedTest
    @CsvSource({
            // backup days, explicit log days (0 = default), edition, retained backups, log days
            "1,  0, ENTERPRISE,      2, 1",
            "2,  0, ENTERPRISE,      2, 1",
            "7,  0, ENTERPRISE,      7, 6",
            "8,  0, ENTERPRISE,      8, 7",
            "14, 0, ENTERPRISE,     14, 7",
            "30, 0, ENTERPRISE,     30, 7",
            "35, 0, ENTERPRISE_PLUS, 35, 34",
            "14, 3, ENTERPRISE,     14, 3"})
    void retainedBackupsAlwaysExceedTheDaysOfTransactionLogs(int days, int logDays, String edition, long retained, long log) {
        var builder = prod().backupRetentionDays(days).edition(edition).transactionLogRetentionDays(logDays == 0 ? null : logDays);
        var run = run(Environment.PROD, builder.build());
        assertEquals(retained, run.input(INSTANCE, "catalog", "settings.backupConfiguration.backupRetentionSettings.retainedBackups"));
        assertEquals(log, run.input(INSTANCE, "catalog", "settings.backupConfiguration.transactionLogRetentionDays"));
        assertTrue(retained > log);
    }

    @Test
    void everyProfileRetentionGivesMoreBackupsThanLogDays() {
        for (int days = 1; days <= 365; days++) {
            for (String edition : List.of("ENTERPRISE", "ENTERPRISE_PLUS")) {
                var retention = CloudSqlRules.backupRetention(days, null, edition);
                assertTrue(retention.retainedBackups() > retention.transactionLogRetentionDays(), days + " " + edition);
                assertTrue(retention.transactionLogRetentionDays() >= 1
                        && retention.transactionLogRetentionDays() <= CloudSqlRules.maxTransactionLogRetentionDays(edition));
            }
        }
    }

    @Test
    void aDevInstanceDeployedAsProdFailsTheGuardrails() {
        var devArgs = prod().highAvailability(false).deletionProtection(false).protect(false).pointInTimeRecovery(false)
                .tier("db-custom-1-3840").build();
        var rules = run(Environment.DEV, devArgs).findings(Environment.PROD).stream().map(Finding::rule).distinct().sorted().toList();
        assertEquals(List.of("database-backups", "database-deletion-protection", "database-high-availability", "stateful-protected"), rules);
        assertEquals(List.of(), run(Environment.DEV, devArgs).findings(Environment.DEV));
    }

    @Test
    void theWorkloadNamespaceIsRestrictedDeniesByDefaultAndAllowsOnlyWhatTheProxyNeeds() {
        var run = run(Environment.PROD, prod().workload(
                new CloudSqlDatabase.Workload("dagster-workload", Access.WRITER, "data-apps", "dagster", true))
                .cluster(dev.dataplatform.kubernetes.TestClusters.GKE).build());
        var namespace = run.resource("kubernetes:core/v1:Namespace", "catalog-workload-namespace");
        assertEquals("data-apps", namespace.input("metadata.name").orElseThrow());
        // Label keys contain dots, so read the map rather than a dotted path.
        var labels = (Map<?, ?>) namespace.input("metadata.labels").orElseThrow();
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
        var policies = run.all("kubernetes:networking.k8s.io/v1:NetworkPolicy").stream()
                .map(p -> (String) p.input("metadata.name").orElseThrow()).sorted().toList();
        assertEquals(List.of("allow-cloudsql", "allow-dns", "allow-google-apis", "allow-metadata-server-0",
                "allow-metadata-server-1", "default-deny"), policies);
        var ksa = run.resource("kubernetes:core/v1:ServiceAccount", "catalog-workload-ksa");
        assertEquals("dagster", ksa.input("metadata.name").orElseThrow());
        assertEquals(Map.of("iam.gke.io/gcp-service-account", "dagster-workload@acme-data-prod.iam.gserviceaccount.com"),
                ksa.input("metadata.annotations").orElseThrow());
        var metadata = run.all("kubernetes:networking.k8s.io/v1:NetworkPolicy").stream()
                .filter(p -> ((String) p.input("metadata.name").orElseThrow()).startsWith("allow-metadata-server"))
                .map(p -> p.input("spec.egress").orElseThrow().toString()).sorted().toList();
        assertTrue(metadata.get(0).contains("169.254.169.254/32") && metadata.get(0).contains("8080"), metadata.toString());
        assertTrue(metadata.get(1).contains("169.254.169.252/32") && metadata.get(1).contains("988"), metadata.toString());
        assertEquals(List.of(), run.findings(Environment.PROD), "namespace guardrails hold");
    }

    @Test
    void withoutTheFlagNoKubernetesResourcesAreDeclared() {
        var run = run(Environment.PROD, prod().build());
        assertTrue(run.resources().stream().noneMatch(r -> r.type().startsWith("kubernetes:")));
    }

    @Test
    void anInstanceWithoutDatabasesNeedsNoAdminPassword() {
        var run = run(Environment.DEV, prod().databases(List.of()).adminPassword(Output.of("x")).build());
        assertEquals(0, run.count(Provider.TYPE));
        assertEquals(Map.of(), run.output("proxyUris"));
    }

    static Arguments bad(String description, Consumer<CloudSqlDatabase.Args.Builder> change, String fragment) {
        return Arguments.of(description, change, fragment);
    }

    static Stream<Arguments> badArgs() {
        return Stream.of(
                bad("missing private network", b -> b.privateNetwork(null), "privateNetwork is required"),
                bad("malformed private network", b -> b.privateNetwork("data"), "privateNetwork 'data' is not valid; allowed: projects/<project>/global/networks/<network>"),
                bad("missing project", b -> b.project(null), "project is required"),
                bad("bad region", b -> b.region("Europe"), "region 'Europe' is not valid"),
                bad("bad instance name", b -> b.instanceName("Data_Platform"), "instanceName 'Data_Platform' is not valid"),
                bad("unknown tier", b -> b.tier("db-n1-standard-2"), "'db-n1-standard-2' is not a tier"),
                bad("odd vCPUs", b -> b.tier("db-custom-3-7680"), "has 3 vCPUs; allowed: 1 or an even number up to 96"),
                bad("too little memory", b -> b.tier("db-custom-2-1024"), "allowed: 1844 to 13312 MiB"),
                bad("memory not in 256 MiB steps", b -> b.tier("db-custom-2-4000"), "a multiple of 256 MiB"),
                bad("shared core and HA", b -> b.tier("db-g1-small"), "shared-core and cannot be highly available"),
                bad("bad version", b -> b.databaseVersion("POSTGRES_9_6"), "allowed: POSTGRES_13 to POSTGRES_17"),
                bad("bad edition", b -> b.edition("STANDARD"), "edition 'STANDARD' is not valid"),
                bad("autoresize below size", b -> b.diskSizeGb(100).diskAutoresizeLimitGb(50), "diskAutoresizeLimitGb 50 is out of range"),
                bad("IAM auth off", b -> b.flags(Map.of("cloudsql.iam_authentication", "off")), "cannot be off"),
                bad("no admin password", b -> b.adminPassword(null), "adminPassword is required"),
                bad("bad backup time", b -> b.backupStartTime("2am"), "backupStartTime '2am' is not valid"),
                bad("bad maintenance day", b -> b.maintenanceWindow(0, 3), "allowed: day 1-7, hour 0-23"),
                bad("log retention as long as the backups", b -> b.backupRetentionDays(7).transactionLogRetentionDays(7),
                        "transactionLogRetentionDays 7 is not less than the days of backups kept (7)"),
                bad("log retention beyond the edition", b -> b.transactionLogRetentionDays(8),
                        "transactionLogRetentionDays 8 is out of range; allowed: 1 to 7 on ENTERPRISE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArgs")
    void badArgsAreRejectedBeforeAnythingIsDeclared(String description, Consumer<CloudSqlDatabase.Args.Builder> change, String fragment) {
        var builder = prod();
        change.accept(builder);
        var error = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(error.getMessage().contains(fragment), description + ": " + error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Dagster      | dagster-workload | data-apps | dagster | serviceAccountId 'Dagster' is not valid",
            "owner        | dagster-workload | data-apps | dagster | must be WRITER or READER",
            "writer       | dagster-workload | Data_Apps | dagster | namespace 'Data_Apps' is not valid; allowed: a DNS-1123 label",
            "writer       | dagster-workload | data-apps | dagster.sa | kubernetesServiceAccount 'dagster.sa' is not valid"})
    void badWorkloadsAreRejected(String first, String account, String namespace, String ksa, String fragment) {
        var error = assertThrows(IllegalArgumentException.class, () -> new CloudSqlDatabase.Workload(
                first.equals("Dagster") ? "Dagster" : account,
                first.equals("owner") ? Access.OWNER : Access.WRITER, namespace, ksa));
        assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }

    /** Dagster (pgSTAC writer over IAM, adopting the former single workload), Marquez and the migrator (no IAM user). */
    static CloudSqlDatabase.Args.Builder threeWorkloads() {
        return prod().databases(List.of(new DatabaseModel("pgstac", List.of(), List.of(), true, List.of()),
                        new DatabaseModel("marquez", List.of(), List.of(), false, List.of(new dev.dataplatform.access.Login("marquez", Access.OWNER)))))
                .workloads(List.of(
                        new CloudSqlDatabase.Workload("dagster", "data-workloads", null, Map.of("pgstac", Access.WRITER),
                                "data-apps", "dagster", false, true),
                        CloudSqlDatabase.Workload.named("marquez", "dp-marquez", Map.of(), "observability", "marquez"),
                        CloudSqlDatabase.Workload.named("pgstac-migrator", "dp-pgstac-migrator", Map.of(), "pgstac-migrations",
                                "pgstac-migrator")));
    }

    @Test
    void eachWorkloadHasItsOwnServiceAccountBoundToExactlyItsKubernetesServiceAccount() {
        var run = run(Environment.PROD, threeWorkloads().build());
        assertEquals(List.of("data-workloads", "dp-marquez", "dp-pgstac-migrator"), run.all("gcp:serviceaccount/account:Account")
                .stream().map(r -> String.valueOf(r.inputs().get("accountId"))).sorted().toList());
        var bindings = run.all("gcp:serviceaccount/iAMMember:IAMMember");
        assertEquals(3, bindings.size());
        assertEquals("serviceAccount:acme-data-prod.svc.id.goog[observability/marquez]",
                run.input("gcp:serviceaccount/iAMMember:IAMMember", "catalog-workload-marquez-identity", "member"));
        assertEquals("serviceAccount:acme-data-prod.svc.id.goog[pgstac-migrations/pgstac-migrator]",
                run.input("gcp:serviceaccount/iAMMember:IAMMember", "catalog-workload-pgstac-migrator-identity", "member"));
        assertEquals("serviceAccount:acme-data-prod.svc.id.goog[data-apps/dagster]",
                run.input("gcp:serviceaccount/iAMMember:IAMMember", "catalog-workload-dagster-identity", "member"));
    }

    @Test
    void workloadsWithoutDatabaseAccessGetOnlyTheProxysRoleAndNoIamUser() {
        var run = run(Environment.PROD, threeWorkloads().build());
        var roles = new java.util.TreeMap<String, List<Object>>();
        run.all("gcp:projects/iAMMember:IAMMember").forEach(r -> roles.computeIfAbsent(String.valueOf(r.inputs().get("member")),
                k -> new java.util.ArrayList<>()).add(r.inputs().get("role")));
        assertEquals(Map.of(
                "serviceAccount:data-workloads@acme-data-prod.iam.gserviceaccount.com", List.of("roles/cloudsql.client", "roles/cloudsql.instanceUser"),
                "serviceAccount:dp-marquez@acme-data-prod.iam.gserviceaccount.com", List.of("roles/cloudsql.client"),
                "serviceAccount:dp-pgstac-migrator@acme-data-prod.iam.gserviceaccount.com", List.of("roles/cloudsql.client")), roles);
        var users = run.all("gcp:sql/user:User");
        assertEquals(List.of("data-workloads@acme-data-prod.iam"), users.stream().map(u -> u.inputs().get("name")).toList());
        // The IAM user is a member of pgstac's writer role only: no rights in marquez's database.
        var memberships = run.all(GrantRole.TYPE).stream().filter(g -> "data-workloads@acme-data-prod.iam".equals(g.inputs().get("role")))
                .map(g -> g.inputs().get("grantRole")).toList();
        assertEquals(List.of("pgstac_writer"), memberships);
        assertEquals(Map.of("pgstac", "postgresql://data-workloads%40acme-data-prod.iam@127.0.0.1:5432/pgstac"), run.output("proxyUris"));
    }

    @Test
    void theAdoptingWorkloadKeepsTheSingleWorkloadsUrnsThroughAliases() {
        var run = run(Environment.PROD, threeWorkloads().build());
        var expected = Map.of(
                "catalog-workload-dagster", "catalog-workload",
                "catalog-workload-dagster-client", "catalog-workload-client",
                "catalog-workload-dagster-instanceUser", "catalog-workload-instanceUser",
                "catalog-workload-dagster-identity", "catalog-workload-identity",
                "catalog-iam-user-dagster", "catalog-iam-user");
        for (var e : expected.entrySet()) {
            var resource = run.resources().stream().filter(r -> r.name().equals(e.getKey())).findFirst().orElseThrow();
            assertTrue(resource.options().aliases().stream().anyMatch(a -> a instanceof Map<?, ?> m && e.getValue().equals(m.get("name"))),
                    e.getKey() + " aliases " + resource.options().aliases());
        }
        var marquez = run.resource("gcp:serviceaccount/account:Account", "catalog-workload-marquez");
        assertTrue(marquez.options().aliases().stream().noneMatch(a -> a instanceof Map<?, ?> m && m.containsKey("name")),
                "only the adopting workload carries the former names");
    }

    @Test
    void theAdoptingWorkloadKeepsItsNamespaceAndKubernetesServiceAccountNames() {
        var run = run(Environment.PROD, threeWorkloads().workloads(List.of(
                new CloudSqlDatabase.Workload("api", "data-workloads", null, Map.of("pgstac", Access.READER), "apis", "stac-api", true, true),
                new CloudSqlDatabase.Workload("tiles", "dp-tiles", null, Map.of(), "tiles", "tiler", true, false)))
                .cluster(dev.dataplatform.kubernetes.TestClusters.GKE).build());
        run.resource("kubernetes:core/v1:Namespace", "catalog-workload-namespace");
        assertEquals("stac-api", run.input("kubernetes:core/v1:ServiceAccount", "catalog-workload-ksa", "metadata.name"));
        assertEquals("tiler", run.input("kubernetes:core/v1:ServiceAccount", "catalog-workload-tiles-ksa", "metadata.name"));
        assertEquals(Map.of("iam.gke.io/gcp-service-account", "dp-tiles@acme-data-prod.iam.gserviceaccount.com"),
                run.input("kubernetes:core/v1:ServiceAccount", "catalog-workload-tiles-ksa", "metadata.annotations"));
    }

    @ParameterizedTest
    @MethodSource("sharedIdentities")
    void workloadsThatWouldShareAnIdentityAreRejected(String description, List<CloudSqlDatabase.Workload> workloads, String fragment) {
        var error = assertThrows(IllegalArgumentException.class, () -> threeWorkloads().workloads(workloads).build());
        assertTrue(error.getMessage().contains(fragment), description + ": " + error.getMessage());
    }

    static Stream<Arguments> sharedIdentities() {
        var dagster = CloudSqlDatabase.Workload.named("dagster", "data-workloads", Map.of("pgstac", Access.WRITER), "data-apps", "dagster");
        return Stream.of(
                Arguments.of("one service account for two workloads", List.of(dagster,
                        CloudSqlDatabase.Workload.named("marquez", "data-workloads", Map.of(), "observability", "marquez")),
                        "workloads 'dagster' and 'marquez' both use service account 'data-workloads'"),
                Arguments.of("one Kubernetes ServiceAccount for two workloads", List.of(dagster,
                        CloudSqlDatabase.Workload.named("api", "stac-api", Map.of(), "data-apps", "dagster")),
                        "both run as Kubernetes ServiceAccount data-apps/dagster"),
                Arguments.of("access to a database the instance does not have", List.of(
                        CloudSqlDatabase.Workload.named("api", "stac-api", Map.of("catalog", Access.READER), "apis", "api")),
                        "access to database 'catalog', which is not one of [pgstac, marquez]"),
                Arguments.of("two workloads adopting the former resources", List.of(
                        new CloudSqlDatabase.Workload("a", "account-a", null, Map.of(), "a", "a", false, true),
                        new CloudSqlDatabase.Workload("b", "account-b", null, Map.of(), "b", "b", false, true)),
                        "only one workload may adopt"));
    }

    @ParameterizedTest
    @CsvSource({"db-f1-micro", "db-g1-small", "db-custom-1-3840", "db-custom-2-7680", "db-custom-4-16384", "db-custom-96-638976"})
    void validTiers(String tier) {
        assertEquals(java.util.Optional.empty(), CloudSqlRules.tier(tier));
    }
}
