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
                .cluster(dev.dataplatform.kubernetes.TestClusters.GKE)
                .database(new IcebergCatalog.Database(IcebergCatalog.Server.CLOUD_SQL, CONNECTION, null,
                        Output.of("10.20.0.3/32"), "polaris", "polaris", "gcp-secret-manager", "polaris-db-password", null))
                .warehouse(new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.GCP, "acme-lake-dev-warehouse", "acme-data-dev",
                        null, null, null))
                .allowClientsFrom(List.of("data-apps", "trino"));
    }

    static IcebergCatalog.Args.Builder aws() {
        return IcebergCatalog.Args.builder()
                .environment(Environment.STAGE)
                .cluster(dev.dataplatform.kubernetes.TestClusters.EKS)
                .database(new IcebergCatalog.Database(IcebergCatalog.Server.RDS, null,
                        Output.of("data-platform-stage.abc.eu-west-1.rds.amazonaws.com"), Output.of("10.30.0.0/16"), "polaris",
                        "polaris", null, null, Output.of("db-ABCDEFGHIJKL")))
                .warehouse(new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.AWS, "acme-lake-stage-warehouse", null,
                        "210987654321", "eu-west-1", "oidc.eks.eu-west-1.amazonaws.com/id/ABC"));
    }

    static final String MINIO = "http://minio.data-local.svc.cluster.local:9000";

    /** The local stack's shape: the in-cluster PostgreSQL and MinIO, credentials through the local secret store. */
    static IcebergCatalog.Args.Builder local() {
        return IcebergCatalog.Args.builder()
                .environment(Environment.DEV)
                .database(new IcebergCatalog.Database(IcebergCatalog.Server.LOCAL, null,
                        Output.of("postgis.data-local.svc.cluster.local"), Output.of("10.244.0.0/16"), "polaris", "polaris",
                        "local-credentials", "login-polaris#password", null))
                .warehouse(IcebergCatalog.Warehouse.s3Compatible("warehouse", MINIO, "10.244.0.0/16",
                        new IcebergCatalog.StaticCredentials("local-credentials", "minio-root#MINIO_ROOT_USER",
                                "minio-root#MINIO_ROOT_PASSWORD")))
                .allowClientsFrom(List.of("data-apps"));
    }

    private static Harness.Run localRun;

    /** One render of the local shape, shared by the tests that read it. */
    static synchronized Harness.Run localRun() {
        if (localRun == null) {
            localRun = render("local", local().build());
        }
        return localRun;
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
        // The root secret reaches the admin tool as a file, never on a command line.
        assertEquals(List.of("bootstrap", "-f", "/credentials/root.yaml"), tool.get("args"));
        assertFalse(env(tool).containsKey("ROOT_CLIENT_SECRET"));
        var writer = list(pod(run, job.type(), job.name()), "initContainers").stream()
                .filter(c -> "credentials-file".equals(c.get("name"))).findFirst().orElseThrow();
        assertEquals(Map.of("secretKeyRef", Map.of("name", IcebergCatalog.ROOT_SECRET, "key", "client-secret")),
                env(writer).get("ROOT_CLIENT_SECRET"));
        assertEquals(List.of("/bin/bash", "-c", IcebergCatalog.CREDENTIALS_SCRIPT), writer.get("command"));
        assertFalse(String.valueOf(writer.get("command")).contains("client-secret:") && writer.containsKey("args"));
        same(Map.of("name", "credentials", "emptyDir", Map.of("medium", "Memory", "sizeLimit", "1Mi")),
                list(pod(run, job.type(), job.name()), "volumes").get(1));
        // Fails instead of hanging; its pods never carry the server Service's selector.
        same(IcebergCatalog.BOOTSTRAP_DEADLINE_SECONDS, run.input(job.type(), job.name(), "spec.activeDeadlineSeconds"));
        same(IcebergCatalog.JOB_TTL_SECONDS, run.input(job.type(), job.name(), "spec.ttlSecondsAfterFinished"));
        // Generated once by External Secrets and kept: never refreshed (CreatedOnce), not owned by the ExternalSecret
        // (Orphan), and the ExternalSecret itself is retained on delete (and protected outside dev).
        var root = run.resource("kubernetes:external-secrets.io/v1:ExternalSecret", "iceberg-catalog-root-credentials");
        assertEquals("0s", run.input(root.type(), root.name(), "spec.refreshInterval"));
        assertEquals("CreatedOnce", run.input(root.type(), root.name(), "spec.refreshPolicy"));
        assertEquals("Orphan", run.input(root.type(), root.name(), "spec.target.creationPolicy"));
        assertTrue(root.options().retainOnDelete());
        assertFalse(root.options().protect(), "dev is disposable");
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
        assertEquals(3, ingress.size(), "default deny, the clients' allow and the catalog Job's allow only");
        // The catalog Job reaches the server's API inside the namespace, and only the server's pods on 8181.
        same(Map.of("app.kubernetes.io/name", "polaris"), run.input(np, "iceberg-catalog-allow-catalog-job", "spec.podSelector.matchLabels"));
        same(Map.of("kubernetes.io/metadata.name", "iceberg"), run.input(np, "iceberg-catalog-allow-catalog-job",
                "spec.ingress.0.from.0.namespaceSelector.matchLabels"));
        same(8181, run.input(np, "iceberg-catalog-allow-catalog-job", "spec.ingress.0.ports.0.port"));
        same(Map.of("kubernetes.io/metadata.name", "iceberg"), run.input(np, "iceberg-catalog-allow-catalog-api",
                "spec.egress.0.to.0.namespaceSelector.matchLabels"));
        same(8181, run.input(np, "iceberg-catalog-allow-catalog-api", "spec.egress.0.ports.0.port"));
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

    @Test
    void generatedSecretsAreProtectedOutsideDev() {
        var run = render("stage", aws().build());
        for (String name : List.of("iceberg-catalog-root-credentials", "iceberg-catalog-token-key")) {
            var secret = run.resource("kubernetes:external-secrets.io/v1:ExternalSecret", name);
            assertTrue(secret.options().protect(), name);
            assertTrue(secret.options().retainOnDelete(), name);
        }
    }

    @Test
    void aJobCreatesTheCatalogThroughTheManagementApiOnceTheServerIsReady() {
        var run = render("dev", gcp(Environment.DEV).build());
        var job = run.resource("kubernetes:batch/v1:Job", "iceberg-catalog-catalog");
        String request = IcebergCatalog.catalogRequest(gcp(Environment.DEV).build());
        assertEquals(IcebergCatalog.catalogJobName(request, "data-platform"), run.input(job.type(), job.name(), "metadata.name"));
        assertEquals(JsonParser.parseString("""
                {"catalog": {"type": "INTERNAL", "name": "warehouse",
                  "properties": {"default-base-location": "gs://acme-lake-dev-warehouse/warehouse/"},
                  "storageConfigInfo": {"storageType": "GCS", "allowedLocations": ["gs://acme-lake-dev-warehouse/warehouse/"]}}}"""),
                JsonParser.parseString(request));
        var pod = pod(run, job.type(), job.name());
        var client = list(pod, "containers").get(0);
        assertEquals(IcebergCatalog.CATALOG_CLIENT_IMAGE, client.get("image"));
        assertEquals(request, env(client).get("CATALOG_REQUEST"));
        assertEquals("http://polaris.iceberg.svc.cluster.local:8181", env(client).get("POLARIS_URL"));
        String script = IcebergCatalog.CATALOG_SCRIPT;
        assertTrue(script.contains("$POLARIS_URL/api/management/v1/catalogs"), script);
        assertTrue(script.contains("$POLARIS_URL/api/catalog/v1/oauth/tokens"), script);
        assertTrue(script.contains("409) echo"), "already exists is success");
        assertTrue(script.contains("client_secret@/credentials/client-secret"), "the secret is read from a file by curl");
        same(false, pod.get("automountServiceAccountToken"));
        same(IcebergCatalog.CATALOG_DEADLINE_SECONDS, run.input(job.type(), job.name(), "spec.activeDeadlineSeconds"));
        // After the server and its Service: Pulumi waits for the Deployment to be ready.
        var server = run.resource("kubernetes:apps/v1:Deployment", "iceberg-catalog-server");
        assertTrue(job.options().dependsOn().contains(server.urn()), job.options().dependsOn().toString());
        // The same inputs name the same Job; a changed input a new one.
        assertEquals(IcebergCatalog.catalogJobName(request, "data-platform"),
                IcebergCatalog.catalogJobName(IcebergCatalog.catalogRequest(gcp(Environment.DEV).build()), "data-platform"));
        assertFalse(IcebergCatalog.catalogJobName(request, "data-platform").equals(IcebergCatalog.catalogJobName(
                IcebergCatalog.catalogRequest(gcp(Environment.DEV).catalogName("lake").build()), "data-platform")));
    }

    @Test
    void onS3TheCatalogAssumesTheWarehouseRoleWithTheKmsKeysWritesNeed() {
        var managed = JsonParser.parseString(IcebergCatalog.catalogRequest(aws().build())).getAsJsonObject()
                .getAsJsonObject("catalog").getAsJsonObject("storageConfigInfo");
        assertEquals("S3", managed.get("storageType").getAsString());
        assertEquals("arn:aws:iam::210987654321:role/iceberg-warehouse-stage", managed.get("roleArn").getAsString());
        assertEquals("eu-west-1", managed.get("region").getAsString());
        assertEquals("s3://acme-lake-stage-warehouse/warehouse/", managed.getAsJsonArray("allowedLocations").get(0).getAsString());
        // The AWS-managed key's id is not known: the account's keys in the region, usable only through S3.
        assertEquals("arn:aws:kms:eu-west-1:210987654321:key/*", managed.getAsJsonArray("allowedKmsKeys").get(0).getAsString());
        assertFalse(managed.has("currentKmsKey"));
        String key = "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var withKey = aws().warehouse(new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.AWS, "acme-lake-stage-warehouse", null,
                "210987654321", "eu-west-1", "oidc.eks.eu-west-1.amazonaws.com/id/ABC", key)).build();
        var storage = JsonParser.parseString(IcebergCatalog.catalogRequest(withKey)).getAsJsonObject()
                .getAsJsonObject("catalog").getAsJsonObject("storageConfigInfo");
        assertEquals(key, storage.get("currentKmsKey").getAsString());
        assertEquals(key, storage.getAsJsonArray("allowedKmsKeys").get(0).getAsString());
        var policy = JsonParser.parseString(IcebergCatalog.warehousePolicy(withKey.warehouseForTest(), "warehouse")).getAsJsonObject();
        var kms = policy.getAsJsonArray("Statement").asList().stream().map(e -> e.getAsJsonObject())
                .filter(st -> st.toString().contains("kms:GenerateDataKey")).findFirst().orElseThrow();
        assertEquals(key, kms.get("Resource").isJsonArray() ? kms.getAsJsonArray("Resource").get(0).getAsString() : kms.get("Resource").getAsString());
        assertEquals("s3.eu-west-1.amazonaws.com", kms.getAsJsonObject("Condition").getAsJsonObject("StringEquals").get("kms:ViaService").getAsString());
        var alias = assertThrows(IllegalArgumentException.class, () -> new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.AWS, "b", null,
                "210987654321", "eu-west-1", "oidc", "arn:aws:kms:eu-west-1:210987654321:alias/lake"));
        assertTrue(alias.getMessage().contains("not an alias"), alias.getMessage());
    }

    @Test
    void noJobPodMatchesTheServerServicesSelector() {
        for (var run : List.of(render("dev", gcp(Environment.DEV).build()), render("stage", aws().build()))) {
            var service = run.resource("kubernetes:core/v1:Service", "iceberg-catalog-service");
            @SuppressWarnings("unchecked")
            var selector = (Map<String, Object>) service.input("spec.selector").orElseThrow();
            var jobs = run.resources().stream().filter(r -> r.type().equals("kubernetes:batch/v1:Job")).toList();
            assertEquals(2, jobs.size(), "bootstrap and catalog");
            for (var job : jobs) {
                @SuppressWarnings("unchecked")
                var labels = (Map<String, Object>) job.input("spec.template.metadata.labels").orElseThrow();
                assertFalse(labels.entrySet().containsAll(selector.entrySet()), job.name() + " pods match " + selector);
            }
            var server = run.resource("kubernetes:apps/v1:Deployment", "iceberg-catalog-server");
            @SuppressWarnings("unchecked")
            var serverLabels = (Map<String, Object>) server.input("spec.template.metadata.labels").orElseThrow();
            assertTrue(serverLabels.entrySet().containsAll(selector.entrySet()), "the server's pods do");
        }
    }

    @Test
    void aCatalogNamePolarisRefusesIsAConfigError() {
        for (String name : List.of("system", "SYSTEM")) {
            var error = assertThrows(IllegalArgumentException.class, () -> gcp(Environment.DEV).catalogName(name).build());
            assertTrue(error.getMessage().contains("not 'system'"), error.getMessage());
        }
    }

    @Test
    void onMinioTheCatalogRequestNamesTheEndpointPathStyleAccessAndNoKms() {
        String request = IcebergCatalog.catalogRequest(local().build());
        assertEquals(JsonParser.parseString("""
                {"catalog": {"type": "INTERNAL", "name": "warehouse",
                  "properties": {"default-base-location": "s3://warehouse/warehouse/"},
                  "storageConfigInfo": {"storageType": "S3", "allowedLocations": ["s3://warehouse/warehouse/"],
                    "endpoint": "http://minio.data-local.svc.cluster.local:9000", "pathStyleAccess": true,
                    "region": "us-east-1", "kmsUnavailable": true}}}"""), JsonParser.parseString(request));
        // No role to assume, no STS switch-off: MinIO's STS vends the subscoped credentials.
        var storage = JsonParser.parseString(request).getAsJsonObject().getAsJsonObject("catalog").getAsJsonObject("storageConfigInfo");
        assertFalse(storage.has("roleArn") || storage.has("stsUnavailable") || storage.has("allowedKmsKeys"), storage.toString());
        var run = localRun();
        var job = run.resource("kubernetes:batch/v1:Job", "iceberg-catalog-catalog");
        assertEquals(request, env(list(pod(run, job.type(), job.name()), "containers").get(0)).get("CATALOG_REQUEST"));
        assertEquals("s3://warehouse/warehouse/", IcebergCatalog.baseLocation(local().build().warehouseForTest(), "warehouse"));
    }

    @Test
    void onTheLocalStackPolarisUsesTheInClusterPostgresOverTlsAndMinioWithCredentialsFromTheStore() {
        var run = localRun();
        assertEquals(List.of(), run.resources().stream().map(r -> r.type())
                .filter(t -> t.startsWith("gcp:") || t.startsWith("aws:")).toList(), "no cloud resource");
        var pod = pod(run, "kubernetes:apps/v1:Deployment", "iceberg-catalog-server");
        assertFalse(pod.containsKey("initContainers"), "no Cloud SQL proxy");
        var env = env(list(pod, "containers").get(0));
        assertEquals("jdbc:postgresql://postgis.data-local.svc.cluster.local:5432/polaris?sslmode=require",
                env.get("quarkus.datasource.jdbc.url"));
        assertEquals("polaris", env.get("quarkus.datasource.username"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", IcebergCatalog.DATABASE_SECRET, "key", "password")),
                env.get("quarkus.datasource.password"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", IcebergCatalog.STORAGE_SECRET, "key", "AWS_ACCESS_KEY_ID")),
                env.get("AWS_ACCESS_KEY_ID"));
        assertEquals(Map.of("secretKeyRef", Map.of("name", IcebergCatalog.STORAGE_SECRET, "key", "AWS_SECRET_ACCESS_KEY")),
                env.get("AWS_SECRET_ACCESS_KEY"));
        assertEquals("us-east-1", env.get("AWS_REGION"));
        assertFalse(env.containsKey("quarkus.datasource.credentials-provider"), "a password login, no IAM tokens");
        // The admin tool reaches the same database, and needs no storage credentials.
        var tool = env(list(pod(run, "kubernetes:batch/v1:Job", "iceberg-catalog-bootstrap"), "containers").get(0));
        assertEquals(env.get("quarkus.datasource.jdbc.url"), tool.get("quarkus.datasource.jdbc.url"));
        assertFalse(tool.containsKey("AWS_SECRET_ACCESS_KEY"));
        // Both secrets are copied by External Secrets from the local store; no value is in the spec.
        String es = "kubernetes:external-secrets.io/v1:ExternalSecret";
        assertEquals("local-credentials", run.input(es, "iceberg-catalog-database-password", "spec.secretStoreRef.name"));
        assertEquals("login-polaris", run.input(es, "iceberg-catalog-database-password", "spec.data.0.remoteRef.key"));
        assertEquals("password", run.input(es, "iceberg-catalog-database-password", "spec.data.0.remoteRef.property"));
        assertEquals("local-credentials", run.input(es, "iceberg-catalog-storage-credentials", "spec.secretStoreRef.name"));
        same(List.of(Map.of("secretKey", "AWS_ACCESS_KEY_ID", "remoteRef", Map.of("key", "minio-root", "property", "MINIO_ROOT_USER")),
                        Map.of("secretKey", "AWS_SECRET_ACCESS_KEY", "remoteRef", Map.of("key", "minio-root", "property", "MINIO_ROOT_PASSWORD"))),
                run.input(es, "iceberg-catalog-storage-credentials", "spec.data"));
        // No cloud identity on the ServiceAccount.
        var ksa = run.resource("kubernetes:core/v1:ServiceAccount", "iceberg-catalog-service-account").input("metadata.annotations")
                .orElse(null);
        assertTrue(ksa == null || ((Map<?, ?>) ksa).isEmpty(), String.valueOf(ksa));
        // Egress: DNS, the pod range on 5432 (PostgreSQL) and 9000 (MinIO), the namespace's own API; nothing to the internet.
        String np = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
        assertEquals("10.244.0.0/16", run.input(np, "iceberg-catalog-allow-database", "spec.egress.0.to.0.ipBlock.cidr"));
        same(5432, run.input(np, "iceberg-catalog-allow-database", "spec.egress.0.ports.0.port"));
        assertEquals("10.244.0.0/16", run.input(np, "iceberg-catalog-allow-object-store", "spec.egress.0.to.0.ipBlock.cidr"));
        same(9000, run.input(np, "iceberg-catalog-allow-object-store", "spec.egress.0.ports.0.port"));
        assertEquals(List.of("iceberg-catalog-allow-catalog-api", "iceberg-catalog-allow-catalog-clients",
                        "iceberg-catalog-allow-catalog-job", "iceberg-catalog-allow-database", "iceberg-catalog-allow-dns",
                        "iceberg-catalog-allow-object-store", "iceberg-catalog-default-deny"),
                run.all(np).stream().map(r -> r.name()).sorted().toList());
        var findings = run.findings(Environment.DEV);
        assertTrue(findings.stream().noneMatch(f -> f.severity() == Severity.ERROR), findings.toString());
    }

    @Test
    void anS3EndpointThatIsNotAUrlIsRefusedWithWhatIsAllowed() {
        var credentials = new IcebergCatalog.StaticCredentials("local-credentials", "minio-root#MINIO_ROOT_USER",
                "minio-root#MINIO_ROOT_PASSWORD");
        for (String bad : List.of("minio:9000", "minio.data-local.svc.cluster.local", "ftp://minio:9000", "http://",
                "http://admin:secret@minio:9000", "http://minio:9000/warehouse", "http://minio:9000?x=1", "http://mi nio:9000",
                "http://minio_store:9000", "")) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> IcebergCatalog.Warehouse.s3Compatible("warehouse", bad, "10.244.0.0/16", credentials), bad);
            assertEquals("iceberg catalog: S3 endpoint '" + bad + "' is not a URL; allowed: " + IcebergCatalog.S3_ENDPOINT_RULE,
                    e.getMessage());
        }
        for (String good : List.of(MINIO, "https://s3.internal.example.com", "http://10.96.0.12:9000/", "http://minio:9000")) {
            assertEquals(java.util.Optional.empty(), IcebergCatalog.s3EndpointProblem(good), good);
        }
        // Endpoint and static credentials belong to the S3-compatible variant only; a local database pairs with it only.
        var cloud = assertThrows(IllegalArgumentException.class, () -> new IcebergCatalog.Warehouse(IcebergCatalog.Cloud.AWS,
                "b", null, "210987654321", "eu-west-1", "oidc.eks.eu-west-1.amazonaws.com/id/ABC", null, MINIO, "10.0.0.0/8", credentials));
        assertTrue(cloud.getMessage().contains("S3-compatible warehouse only"), cloud.getMessage());
        var mixed = assertThrows(IllegalArgumentException.class, () -> local().warehouse(gcp(Environment.DEV).build().warehouseForTest()).build());
        assertTrue(mixed.getMessage().contains("LOCAL with S3_COMPATIBLE"), mixed.getMessage());
        var noPassword = assertThrows(IllegalArgumentException.class, () -> new IcebergCatalog.Database(IcebergCatalog.Server.LOCAL, null,
                Output.of("postgis"), Output.of("10.244.0.0/16"), "polaris", "polaris", null, null, null));
        assertTrue(noPassword.getMessage().contains("passwordStore"), noPassword.getMessage());
    }
}
