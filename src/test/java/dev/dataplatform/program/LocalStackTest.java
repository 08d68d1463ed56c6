package dev.dataplatform.program;

import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.local.LocalServices;
import dev.dataplatform.plan.Plan;
import dev.dataplatform.plan.PlanRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local stack: the platform on a kind cluster with no cloud resource, guardrails green. */
class LocalStackTest {
    static Plan.Result plan;

    @BeforeAll
    static void run() {
        plan = Plan.run(StacksTest.ROOT, "local");
    }

    static List<PlannedResource> ofType(String type) {
        return plan.recording().resources().stream().filter(r -> r.type().equals(type)).toList();
    }

    static PlannedResource named(String type, String name) {
        return ofType(type).stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + name));
    }

    @Test
    void declaresNoCloudResourceAndNoGuardrailFinding() {
        var cloud = plan.recording().resources().stream().map(PlannedResource::type)
                .filter(t -> t.startsWith("gcp:") || t.startsWith("aws:") || t.startsWith("postgresql:")
                        || t.startsWith("pulumi:providers:gcp") || t.startsWith("pulumi:providers:aws")).toList();
        assertEquals(List.of(), cloud);
        assertEquals(List.of(), plan.findings());
        assertTrue(plan.findings().stream().noneMatch(f -> f.severity() == dev.dataplatform.guardrails.Severity.ERROR));
        var services = ofType("kubernetes:core/v1:Service");
        assertFalse(services.isEmpty());
        services.forEach(s -> assertFalse("LoadBalancer".equals(s.input("spec.type").orElse(null)), s.urn()));
        assertFalse(PlanRenderer.json(plan).contains("LoadBalancer"));
        // Everything on the one kubeconfig cluster.
        assertEquals(List.of("laptop"), ofType("pulumi:providers:kubernetes").stream().map(PlannedResource::name).toList());
    }

    @Test
    void runsEveryComponentOfThePlatformOnTheLaptopCluster() {
        var components = plan.recording().resources().stream().filter(r -> !r.custom()).map(PlannedResource::type)
                .filter(t -> t.startsWith("dataplatform:")).distinct().sorted().toList();
        assertEquals(List.of("dataplatform:iceberg:IcebergCatalog", "dataplatform:kubernetes:DagsterStack",
                "dataplatform:kubernetes:ObservabilityStack", "dataplatform:local:Services", "dataplatform:pgstac:Migration"),
                components);
        for (var named : List.of(List.of("kubernetes:apps/v1:StatefulSet", "local-postgis"), List.of("kubernetes:apps/v1:StatefulSet", "local-minio"),
                List.of("kubernetes:helm.sh/v3:Release", "dagster"), List.of("kubernetes:apps/v1:Deployment", "iceberg-catalog-server"),
                List.of("kubernetes:helm.sh/v3:Release", "observability-collector"), List.of("kubernetes:apps/v1:Deployment", "observability-jaeger"),
                List.of("kubernetes:apps/v1:Deployment", "observability-marquez"))) {
            named(named.get(0), named.get(1));
        }
    }

    @Test
    void polarisKeepsItsStoreOnTheLocalPostgresAndItsWarehouseOnMinio() {
        var server = named("kubernetes:apps/v1:Deployment", "iceberg-catalog-server");
        String env = server.input("spec.template.spec.containers.0.env").orElseThrow().toString();
        assertTrue(env.contains("jdbc:postgresql://postgis.data-local.svc.cluster.local:5432/polaris?sslmode=require"), env);
        assertTrue(env.contains("polaris-storage") && env.contains("AWS_SECRET_ACCESS_KEY"), env);
        var job = named("kubernetes:batch/v1:Job", "iceberg-catalog-catalog");
        String request = job.input("spec.template.spec.containers.0.env").orElseThrow().toString();
        assertTrue(request.contains("\"endpoint\":\"" + LocalServices.s3Endpoint("data-local") + "\"")
                && request.contains("\"pathStyleAccess\":true") && request.contains("s3://warehouse/warehouse/"), request);
        // Its database password and MinIO's credentials come through the local store, which may read exactly those.
        var password = named("kubernetes:external-secrets.io/v1:ExternalSecret", "iceberg-catalog-database-password");
        assertEquals("local-credentials", password.input("spec.secretStoreRef.name").orElseThrow());
        assertEquals("login-polaris", password.input("spec.data.0.remoteRef.key").orElseThrow());
        var storage = named("kubernetes:external-secrets.io/v1:ExternalSecret", "iceberg-catalog-storage-credentials");
        assertEquals("minio-root", storage.input("spec.data.0.remoteRef.key").orElseThrow());
        // It starts after the access Job has created its login, and its Jobs and server reach PostgreSQL and MinIO only.
        var component = plan.recording().resources().stream().filter(r -> r.type().equals("dataplatform:iceberg:IcebergCatalog"))
                .findFirst().orElseThrow();
        assertTrue(component.options().dependsOn().contains(named("kubernetes:batch/v1:Job", "local-access").urn()),
                component.options().dependsOn().toString());
        var database = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "iceberg-catalog-allow-database").inputs().toString();
        assertTrue(database.contains("10.244.0.0/16") && database.contains("5432"), database);
        var store = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "iceberg-catalog-allow-object-store").inputs().toString();
        assertTrue(store.contains("10.244.0.0/16") && store.contains("9000"), store);
        assertTrue(ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").stream().noneMatch(p -> p.name().startsWith("iceberg-catalog")
                && p.inputs().toString().contains("0.0.0.0/0")), "no internet egress");
        // Dagster, its client, may call it and reach MinIO with the credentials it vends.
        var catalogEgress = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "dagster-allow-iceberg-catalog").inputs().toString();
        assertTrue(catalogEgress.contains("kubernetes.io/metadata.name=iceberg") && catalogEgress.contains("8181"), catalogEgress);
        var minioEgress = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "dagster-allow-object-store").inputs().toString();
        assertTrue(minioEgress.contains("10.244.0.0/16") && minioEgress.contains("9000"), minioEgress);
        assertEquals("s3://warehouse/warehouse/", plan.recording().outputs().get("icebergBaseLocation"));
        assertEquals("http://polaris.iceberg.svc.cluster.local:8181/api/catalog", plan.recording().outputs().get("icebergCatalogUri"));
    }

    @Test
    void marquezKeepsLineageOnTheLocalPostgres() {
        var marquez = named("kubernetes:apps/v1:Deployment", "observability-marquez");
        String env = marquez.input("spec.template.spec.containers.0.env").orElseThrow().toString();
        assertTrue(env.contains("postgis.data-local.svc.cluster.local") && env.contains("POSTGRES_SSLMODE, value=require"), env);
        assertTrue(marquez.input("spec.template.spec.initContainers").isEmpty(), "no Cloud SQL proxy");
        var password = named("kubernetes:external-secrets.io/v1:ExternalSecret", "observability-marquez-password");
        assertEquals("local-credentials", password.input("spec.secretStoreRef.name").orElseThrow());
        assertEquals("login-marquez", password.input("spec.data.0.remoteRef.key").orElseThrow());
        var egress = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "observability-allow-marquez-database").inputs().toString();
        assertTrue(egress.contains("10.244.0.0/16") && egress.contains("5432"), egress);
        assertTrue(ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").stream().noneMatch(p -> p.name().startsWith("observability-allow-gke")
                || p.name().equals("observability-allow-cloud-sql-api")));
        // The access Job creates both stores' logins; the local store may hand out exactly their passwords (and MinIO's).
        var role = named("kubernetes:rbac.authorization.k8s.io/v1:Role", "local-credentials-reader-role");
        assertEquals(List.of("login-dagster", "login-marquez", "login-polaris", "login-stac-api", "login-stac-ingest", "minio-root"),
                role.input("rules.0.resourceNames").orElseThrow());
        assertEquals("http://marquez.observability.svc.cluster.local:5000/api/v1", plan.recording().outputs().get("marquezApiUrl"));
    }

    @Test
    void runsPostgisMinioDagsterCollectorAndJaeger() {
        var postgis = named("kubernetes:apps/v1:StatefulSet", "local-postgis");
        assertEquals(LocalServices.POSTGIS_IMAGE, postgis.input("spec.template.spec.containers.0.image").orElseThrow());
        assertEquals("postgis/postgis:15-3.5", LocalServices.POSTGIS_IMAGE);
        assertEquals("5Gi", postgis.input("spec.volumeClaimTemplates.0.spec.resources.requests.storage").orElseThrow());
        assertEquals(999, ((Number) postgis.input("spec.template.spec.securityContext.runAsUser").orElseThrow()).intValue());
        assertEquals(999, ((Number) postgis.input("spec.template.spec.securityContext.fsGroup").orElseThrow()).intValue());
        assertEquals(true, postgis.input("spec.template.spec.containers.0.securityContext.readOnlyRootFilesystem").orElseThrow());
        assertTrue(postgis.input("spec.template.spec.containers.0.readinessProbe.exec.command").orElseThrow().toString().contains("pg_isready"));
        assertTrue(postgis.input("spec.template.spec.containers.0.livenessProbe.exec.command").orElseThrow().toString().contains("pg_isready"));
        assertTrue(postgis.input("spec.template.spec.containers.0.args").orElseThrow().toString().contains("ssl=on"));
        var minio = named("kubernetes:apps/v1:StatefulSet", "local-minio");
        assertEquals(LocalServices.MINIO_IMAGE, minio.input("spec.template.spec.containers.0.image").orElseThrow());
        named("kubernetes:helm.sh/v3:Release", "dagster");
        named("kubernetes:helm.sh/v3:Release", "observability-collector");
        named("kubernetes:apps/v1:Deployment", "observability-jaeger");
    }

    @Test
    void theAccessJobRunsTheScriptNamedByItsHashAndSetsGeneratedPasswords() {
        var script = named("kubernetes:core/v1:ConfigMap", "local-access-script");
        String sql = String.valueOf(script.input("data.access\\.sql").or(() -> script.input("data")
                .map(d -> ((Map<?, ?>) d).get("access.sql"))).orElseThrow());
        String hash = LocalServices.hash(sql);
        assertEquals("postgis-access-" + hash, script.kubernetesName().orElseThrow());
        var job = named("kubernetes:batch/v1:Job", "local-access");
        assertEquals("postgis-access-" + hash, job.kubernetesName().orElseThrow());
        assertTrue(sql.contains("CREATE DATABASE") && sql.contains("\\getenv login_password LOGIN_PASSWORD_0"), sql);
        var env = job.input("spec.template.spec.containers.0.env").orElseThrow().toString();
        assertTrue(env.contains("login-dagster") && env.contains("login-stac-api") && env.contains("superuser-password"), env);
        assertEquals("postgis-access-" + hash, plan.recording().outputs().get("localAccessJob"));
    }

    @Test
    void credentialsAreGeneratedInTheClusterAndDagsterReadsThemThroughTheLocalStore() {
        ofType("kubernetes:external-secrets.io/v1:ExternalSecret").stream().filter(r -> r.name().startsWith("local-"))
                .forEach(r -> {
                    assertEquals("0s", r.input("spec.refreshInterval").orElseThrow(), r.urn());
                    assertEquals("local-password", r.input("spec.dataFrom.0.sourceRef.generatorRef.name").orElseThrow(), r.urn());
                });
        var store = named("kubernetes:external-secrets.io/v1:ClusterSecretStore", "local-credentials-store");
        assertEquals("data-local", store.input("spec.provider.kubernetes.remoteNamespace").orElseThrow());
        var dagster = named("kubernetes:external-secrets.io/v1:ExternalSecret", "dagster-postgresql-password");
        assertEquals("local-credentials", dagster.input("spec.secretStoreRef.name").orElseThrow());
        assertEquals("login-dagster", dagster.input("spec.data.0.remoteRef.key").orElseThrow());
        assertEquals("password", dagster.input("spec.data.0.remoteRef.property").orElseThrow());
        var role = named("kubernetes:rbac.authorization.k8s.io/v1:Role", "local-credentials-reader-role");
        assertTrue(((List<?>) role.input("rules.0.resourceNames").orElseThrow()).containsAll(
                List.of("login-dagster", "login-stac-api", "login-stac-ingest")));
    }

    @Test
    void bucketsPgstacAndNetworkPolicies() {
        var buckets = named("kubernetes:batch/v1:Job", "local-buckets").input("spec.template.spec.initContainers").orElseThrow().toString();
        assertTrue(buckets.contains("--with-lock, local/raw") && buckets.contains("local/curated") && buckets.contains("local/warehouse"), buckets);
        var pgstac = named("kubernetes:batch/v1:Job", "local-pgstac-pgstac-migrate-pgstac-0-9-11");
        assertEquals("data-local", pgstac.kubernetesNamespace().orElseThrow());
        String env = pgstac.input("spec.template.spec.containers.0.env").orElseThrow().toString();
        assertTrue(env.contains("postgis") && env.contains("superuser-password"), env);
        var ingress = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "local-allow-clients").inputs().toString();
        assertTrue(ingress.contains("data-apps") && ingress.contains("observability") && ingress.contains("iceberg")
                && ingress.contains("5432") && ingress.contains("9000"), ingress);
        named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "local-default-deny");
        var ns = named("kubernetes:core/v1:Namespace", "local-namespace");
        assertEquals(Optional.of("restricted"), ns.input("metadata.labels").map(l -> ((Map<?, ?>) l).get("pod-security.kubernetes.io/enforce")));
        var dagsterEgress = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "dagster-allow-database").inputs().toString();
        assertTrue(dagsterEgress.contains("10.244.0.0/16"), dagsterEgress);
    }
}
