package dev.dataplatform.iceberg;

import com.google.gson.JsonParser;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.guardrails.Severity;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Polaris as the providers would receive it: GCP (Cloud SQL, GCS) and AWS (RDS, S3). */
class IcebergCatalogTest {
    static final String CONNECTION = "acme-data-dev:europe-west1:data-platform-dev";

    static IcebergCatalog.Args.Builder gcp(Environment environment) {
        return IcebergCatalog.Args.builder()
                .environment(environment)
                .database(new IcebergCatalog.Database(IcebergCatalog.Server.CLOUD_SQL, CONNECTION, null,
                        Output.of("10.20.0.3/32"), "polaris", "polaris", "gcp-secret-manager", "polaris-db-password", null))
                .warehouse(new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.GCP, "acme-lake-dev-warehouse", "acme-data-dev",
                        null, null, null))
                .allowClientsFrom(List.of("data-apps", "trino"));
    }

    static IcebergCatalog.Args.Builder aws() {
        return IcebergCatalog.Args.builder()
                .environment(Environment.STAGE)
                .database(new IcebergCatalog.Database(IcebergCatalog.Server.RDS, null,
                        Output.of("data-platform-stage.abc.eu-west-1.rds.amazonaws.com"), Output.of("10.30.0.0/16"), "polaris",
                        "polaris", null, null, Output.of("db-ABCDEFGHIJKL")))
                .warehouse(new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.AWS, "acme-lake-stage-warehouse", null,
                        "210987654321", "eu-west-1", "oidc.eks.eu-west-1.amazonaws.com/id/ABC"));
    }

    static Harness.Run render(String stack, IcebergCatalog.Args args) {
        return Harness.preview(stack, ctx -> {
            var catalog = new IcebergCatalog("iceberg-catalog", args, ComponentResourceOptions.Empty);
            ctx.export("icebergCatalogUri", catalog.catalogUri);
            ctx.export("icebergWarehouse", catalog.warehouse);
            ctx.export("icebergPrincipalSecretName", catalog.principalSecret);
        }).succeeded();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String key) {
        return (Map<String, Object>) ((Map<String, Object>) value).get(key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> value, String key) {
        return (List<Map<String, Object>>) value.get(key);
    }

    /** Numbers as Long and maps sorted, as the engine records them. */
    static Object norm(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Map<?, ?> m) {
            var sorted = new java.util.TreeMap<String, Object>();
            m.forEach((k, v) -> sorted.put((String) k, norm(v)));
            return sorted;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(IcebergCatalogTest::norm).toList();
        }
        return value;
    }

    static void same(Object expected, Object actual) {
        assertEquals(norm(expected), norm(actual));
    }

    static Map<String, Object> pod(Harness.Run run, String type, String name) {
        return map(map(run.resource(type, name).inputs().get("spec"), "template"), "spec");
    }

    static Map<String, Object> env(Map<String, Object> container) {
        var values = new java.util.TreeMap<String, Object>();
        list(container, "env").forEach(e -> values.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : e.get("valueFrom")));
        return values;
    }

    @Test
    void onGcpTheServerUsesItsCloudSqlDatabaseThroughTheProxyAsAPasswordLogin() {
        var run = render("dev", gcp(Environment.DEV).build());
        var pod = pod(run, "kubernetes:apps/v1:Deployment", "iceberg-catalog-server");
        assertEquals(IcebergCatalog.SERVICE_ACCOUNT, pod.get("serviceAccountName"));
        var proxy = list(pod, "initContainers").get(0);
        assertEquals("Always", proxy.get("restartPolicy"));
        assertEquals(CloudSqlProxy.args(CONNECTION, false), proxy.get("args"));
        var server = list(pod, "containers").get(0);
        assertEquals("apache/polaris:1.7.0", server.get("image"));
        var env = env(server);
        assertEquals("relational-jdbc", env.get("polaris.persistence.type"));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/polaris?sslmode=disable", env.get("quarkus.datasource.jdbc.url"));
        assertEquals("polaris", env.get("quarkus.datasource.username"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", IcebergCatalog.DATABASE_SECRET, "key", "password")),
                env.get("quarkus.datasource.password"));
        assertEquals("data-platform", env.get("polaris.realm-context.realms"));
        assertEquals("symmetric-key", env.get("polaris.authentication.token-broker.type"));
        assertEquals(IcebergCatalog.TOKEN_KEY_DIR + "/" + IcebergCatalog.TOKEN_KEY_FILE,
                env.get("polaris.authentication.token-broker.symmetric-key.file"));
        same(Map.of("path", "/q/health/ready", "port", 8182), map(server, "readinessProbe").get("httpGet"));
        same(Map.of("path", "/q/health/live", "port", 8182), map(server, "livenessProbe").get("httpGet"));
        same(1, run.input("kubernetes:apps/v1:Deployment", "iceberg-catalog-server", "spec.replicas"));
        // The database password comes from the DBA's store through External Secrets.
        var password = run.resource("kubernetes:external-secrets.io/v1:ExternalSecret", "iceberg-catalog-database-password");
        assertEquals("polaris-db-password", run.input(password.type(), password.name(), "spec.data.0.remoteRef.key"));
        assertEquals("ClusterSecretStore", run.input(password.type(), password.name(), "spec.secretStoreRef.kind"));
    }

    @Test
    void everyPodIsRestrictedAsThePolarisUserWithRequestsAndLimits() {
        var runs = Map.of(Environment.DEV, render("dev", gcp(Environment.DEV).build()), Environment.STAGE, render("stage", aws().build()),
                Environment.PROD, render("prod", gcp(Environment.PROD).build()));
        for (var entry : runs.entrySet()) {
            var run = entry.getValue();
            for (var named : List.of(List.of("kubernetes:apps/v1:Deployment", "iceberg-catalog-server"),
                    List.of("kubernetes:batch/v1:Job", "iceberg-catalog-bootstrap"))) {
                var pod = pod(run, named.get(0), named.get(1));
                same(Map.of("runAsNonRoot", true, "runAsUser", PolarisFacts.IMAGE_UID, "runAsGroup", PolarisFacts.IMAGE_GID,
                        "fsGroup", PolarisFacts.IMAGE_GID, "seccompProfile", Map.of("type", "RuntimeDefault")), pod.get("securityContext"));
                for (var container : list(pod, "containers")) {
                    var security = map(container, "securityContext");
                    assertEquals(false, security.get("allowPrivilegeEscalation"));
                    assertEquals(Map.of("drop", List.of("ALL")), security.get("capabilities"));
                    same(PolarisFacts.IMAGE_UID, security.get("runAsUser"));
                    var resources = map(container, "resources");
                    assertTrue(map(resources, "requests").containsKey("memory") && map(resources, "limits").containsKey("cpu"));
                }
            }
            var findings = run.findings(entry.getKey());
            assertTrue(findings.stream().noneMatch(f -> f.severity() == Severity.ERROR), findings.toString());
        }
    }

    @Test
    void theBootstrapJobReadsGeneratedRootCredentialsThatAreNeverInTheSpec() {
        var run = render("dev", gcp(Environment.DEV).build());
        var job = run.resource("kubernetes:batch/v1:Job", "iceberg-catalog-bootstrap");
        assertEquals("polaris-bootstrap-1-7-0", run.input(job.type(), job.name(), "metadata.name"));
        var tool = list(pod(run, job.type(), job.name()), "containers").get(0);
        assertEquals("apache/polaris-admin-tool:1.7.0", tool.get("image"));
        assertEquals(List.of("bootstrap", "-r", "data-platform", "-c", "data-platform,$(ROOT_CLIENT_ID),$(ROOT_CLIENT_SECRET)"),
                tool.get("args"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", IcebergCatalog.ROOT_SECRET, "key", "client-secret")),
                env(tool).get("ROOT_CLIENT_SECRET"));
        // Generated once by External Secrets (refresh 0s): a re-run neither regenerates nor rotates them.
        var root = run.resource("kubernetes:external-secrets.io/v1:ExternalSecret", "iceberg-catalog-root-credentials");
        assertEquals("0s", run.input(root.type(), root.name(), "spec.refreshInterval"));
        assertEquals("Owner", run.input(root.type(), root.name(), "spec.target.creationPolicy"));
        assertEquals("polaris-generated", run.input(root.type(), root.name(), "spec.dataFrom.0.sourceRef.generatorRef.name"));
        same(0, run.input("kubernetes:generators.external-secrets.io/v1alpha1:Password",
                "iceberg-catalog-password-generator", "spec.symbols"));
        // The server starts only after the realm exists (Polaris refuses to serve an unbootstrapped realm).
        var server = run.resource("kubernetes:apps/v1:Deployment", "iceberg-catalog-server");
        assertTrue(server.options().dependsOn().contains(job.urn()), server.options().dependsOn().toString());
        assertEquals("http://polaris.iceberg.svc.cluster.local:8181/api/catalog", run.output("icebergCatalogUri"));
        assertEquals("warehouse", run.output("icebergWarehouse"));
        assertEquals("iceberg/polaris-root-credentials", run.output("icebergPrincipalSecretName"));
    }

    @Test
    void networkPoliciesAdmitClientsOn8181AndReachOnlyDnsTheDatabaseAndCloudApis() {
        var run = render("dev", gcp(Environment.DEV).build());
        String np = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
        assertEquals(List.of("Ingress", "Egress"), run.input(np, "iceberg-catalog-default-deny", "spec.policyTypes"));
        same(8181, run.input(np, "iceberg-catalog-allow-catalog-clients", "spec.ingress.0.ports.0.port"));
        same(Map.of("kubernetes.io/metadata.name", "trino"), run.input(np, "iceberg-catalog-allow-catalog-clients",
                "spec.ingress.0.from.1.namespaceSelector.matchLabels"));
        assertEquals("10.20.0.3/32", run.input(np, "iceberg-catalog-allow-database", "spec.egress.0.to.0.ipBlock.cidr"));
        same(3307, run.input(np, "iceberg-catalog-allow-database", "spec.egress.0.ports.0.port"));
        same(443, run.input(np, "iceberg-catalog-allow-cloud-apis", "spec.egress.0.ports.0.port"));
        assertEquals(2, run.all(np).stream().filter(p -> p.name().startsWith("iceberg-catalog-allow-gke-metadata")).count());
        var ingress = run.all(np).stream().filter(p -> ((List<?>) run.input(np, p.name(), "spec.policyTypes")).contains("Ingress")).toList();
        assertEquals(2, ingress.size(), "default deny and the clients' allow only");
        assertEquals("ClusterIP", run.input("kubernetes:core/v1:Service", "iceberg-catalog-service", "spec.type"));
        same(8181, run.input("kubernetes:core/v1:Service", "iceberg-catalog-service", "spec.ports.0.port"));
        assertEquals("restricted", ((Map<?, ?>) run.input("kubernetes:core/v1:Namespace", "iceberg-catalog-namespace",
                "metadata.labels")).get("pod-security.kubernetes.io/enforce"));
    }

    @Test
    void onGcpTheGoogleServiceAccountHasBucketScopedAccessAndWorkloadIdentityNoKeys() {
        var run = render("dev", gcp(Environment.DEV).build());
        var access = run.resource("gcp:storage/bucketIAMMember:BucketIAMMember", "iceberg-catalog-warehouse-access");
        assertEquals("acme-lake-dev-warehouse", run.input(access.type(), access.name(), "bucket"));
        assertEquals(IcebergCatalog.GCS_ROLE, run.input(access.type(), access.name(), "role"));
        assertEquals(0, run.count("gcp:projects/iAMMember:IAMMember") - 1, "only roles/cloudsql.client at project level");
        assertEquals("roles/cloudsql.client", run.input("gcp:projects/iAMMember:IAMMember", "iceberg-catalog-cloudsql-client", "role"));
        assertEquals("serviceAccount:acme-data-dev.svc.id.goog[iceberg/polaris]", run.input(
                "gcp:serviceaccount/iAMMember:IAMMember", "iceberg-catalog-workload-identity", "member"));
        assertEquals(0, run.count("gcp:serviceaccount/key:Key"));
        assertEquals(0, run.count("gcp:storage/hmacKey:HmacKey"));
    }

    @Test
    void onAwsTheWarehouseRoleReachesOnlyTheCatalogPrefixAndTheServerOnlyAssumesItAndConnectsAsItsLogin() {
        var run = render("stage", aws().build());
        var storage = JsonParser.parseString((String) run.input("aws:iam/rolePolicy:RolePolicy", "iceberg-catalog-warehouse-policy",
                "policy")).getAsJsonObject();
        var objects = storage.getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertEquals("arn:aws:s3:::acme-lake-stage-warehouse/warehouse/*", objects.getAsJsonArray("Resource").get(0).getAsString());
        assertFalse(objects.toString().contains("s3:*"));
        var listing = storage.getAsJsonArray("Statement").get(1).getAsJsonObject();
        assertEquals("[\"warehouse/*\",\"warehouse/\"]",
                listing.getAsJsonObject("Condition").getAsJsonObject("StringLike").get("s3:prefix").toString());
        var trust = JsonParser.parseString((String) run.input("aws:iam/role:Role", "iceberg-catalog-server-role", "assumeRolePolicy"))
                .getAsJsonObject().toString();
        assertTrue(trust.contains("system:serviceaccount:iceberg:polaris"), trust);
        assertEquals(0, run.count("aws:iam/accessKey:AccessKey"));
        // The server's own policy is computed from the roles' ARNs (unknown offline); its shape is tested directly.
        var policy = IcebergCatalog.serverPolicy("arn:aws:iam::210987654321:role/iceberg-warehouse-stage", "eu-west-1",
                "210987654321", "db-ABCDEFGHIJKL", aws().build().databaseForTest());
        assertEquals("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sts:AssumeRole\"],"
                + "\"Resource\":[\"arn:aws:iam::210987654321:role/iceberg-warehouse-stage\"]},{\"Effect\":\"Allow\","
                + "\"Action\":[\"rds-db:connect\"],\"Resource\":[\"arn:aws:rds-db:eu-west-1:210987654321:dbuser:db-ABCDEFGHIJKL/polaris\"]}]}",
                policy);
    }

    @Test
    void onAwsPolarisLogsInToRdsWithIamTokensOverTls() {
        var run = render("stage", aws().build());
        var server = list(pod(run, "kubernetes:apps/v1:Deployment", "iceberg-catalog-server"), "containers").get(0);
        var env = env(server);
        assertEquals("aws", env.get("quarkus.datasource.credentials-provider"));
        assertEquals("polaris", env.get("quarkus.rds.credentials-provider.aws.username"));
        assertEquals("5432", env.get("quarkus.rds.credentials-provider.aws.port"));
        assertEquals("require", env.get("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode"));
        assertEquals("eu-west-1", env.get("AWS_REGION"));
        assertFalse(env.containsKey("quarkus.datasource.password"));
        same(2, run.input("kubernetes:apps/v1:Deployment", "iceberg-catalog-server", "spec.replicas"));
        assertFalse(pod(run, "kubernetes:apps/v1:Deployment", "iceberg-catalog-server").containsKey("initContainers"));
        assertEquals(0, run.count("kubernetes:external-secrets.io/v1:ExternalSecret") - 2, "root credentials and token key only");
        same(5432, run.input("kubernetes:networking.k8s.io/v1:NetworkPolicy", "iceberg-catalog-allow-database",
                "spec.egress.0.ports.0.port"));
    }

    @Test
    void badArgumentsAreRefusedWithWhatIsAllowed() {
        var version = assertThrows(IllegalArgumentException.class, () -> gcp(Environment.DEV).version("1.6.0").build());
        assertEquals("iceberg catalog: version '1.6.0' is not supported; allowed: 1.7.0", version.getMessage());
        var client = assertThrows(IllegalArgumentException.class,
                () -> gcp(Environment.DEV).allowClientsFrom(List.of("Data_Apps")).build());
        assertTrue(client.getMessage().startsWith("iceberg catalog: client namespace"), client.getMessage());
        var realm = assertThrows(IllegalArgumentException.class, () -> gcp(Environment.DEV).realm("a,b").build());
        assertTrue(realm.getMessage().contains(IcebergCatalog.REALM_RULE), realm.getMessage());
        var mixed = assertThrows(IllegalArgumentException.class, () -> gcp(Environment.DEV)
                .warehouse(aws().build().warehouseForTest()).build());
        assertTrue(mixed.getMessage().contains("one cloud identity"), mixed.getMessage());
    }
}
