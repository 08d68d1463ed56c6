package dev.dataplatform.access;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.kubernetes.CloudSqlProxy;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The migration Job as pulumi-kubernetes would receive it. */
class PgstacMigrationTest {
    static final String CONNECTION = "acme-data-dev:europe-west1:data-platform-dev";

    static Harness.Run render(String version) {
        return Harness.preview("dev", ctx -> new PgstacMigration("cloudsql-pgstac", new PgstacMigration.Args(
                List.of(new PgstacMigration.PgstacDatabase("pgstac", "pgstac_migrator")), version,
                new PgstacMigration.CloudSql("acme-data-dev", CONNECTION, Output.of("10.20.0.3"),
                        Output.of("data-workloads@acme-data-dev.iam.gserviceaccount.com"), "gcp-secret-manager", "pgstac-migrator-password"),
                Map.of("team", "data")), dev.dataplatform.kubernetes.TestClusters.GKE, ComponentResourceOptions.Empty)).succeeded();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> pod(Harness.Run run, String version) {
        var job = run.resource("kubernetes:batch/v1:Job", "cloudsql-pgstac-pgstac-migrate-pgstac-" + version.replace('.', '-'));
        var spec = (Map<String, Object>) job.inputs().get("spec");
        return (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"0.9.10", "0.9.11"})
    void theJobRunsThePinnedPypgstacAsTheMigratorThroughTheProxy(String version) {
        var run = render(version);
        var job = run.resource("kubernetes:batch/v1:Job", "cloudsql-pgstac-pgstac-migrate-pgstac-" + version.replace('.', '-'));
        assertEquals("pgstac-migrate-pgstac-" + version.replace('.', '-'), run.input(job.type(), job.name(), "metadata.name"));
        assertEquals("pgstac-migrations", run.input(job.type(), job.name(), "metadata.namespace"));
        var pod = pod(run, version);
        assertEquals("Never", pod.get("restartPolicy"));
        assertEquals("pgstac-migrator", pod.get("serviceAccountName"));
        var container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertEquals("ghcr.io/stac-utils/pgstac-pypgstac:v" + version, container.get("image"));
        assertEquals(List.of("pypgstac", "migrate", "--toversion", version), container.get("command"));
        var env = ((List<Map<String, Object>>) container.get("env"));
        assertEquals(Map.of("name", "PGUSER", "value", "pgstac_migrator"), env.stream().filter(e -> e.get("name").equals("PGUSER")).findFirst().orElseThrow());
        assertEquals(Map.of("name", "PGHOST", "value", "127.0.0.1"), env.stream().filter(e -> e.get("name").equals("PGHOST")).findFirst().orElseThrow());
        assertEquals(Map.of("name", "PGDATABASE", "value", "pgstac"), env.stream().filter(e -> e.get("name").equals("PGDATABASE")).findFirst().orElseThrow());
        var password = env.stream().filter(e -> e.get("name").equals("PGPASSWORD")).findFirst().orElseThrow();
        assertEquals(Map.of("secretKeyRef", Map.of("name", "pgstac-migrator-password", "key", "password")), password.get("valueFrom"));
        // The proxy is a native sidecar, with the password login (no --auto-iam-authn) and the private IP.
        var proxy = ((List<Map<String, Object>>) pod.get("initContainers")).get(0);
        assertEquals("Always", proxy.get("restartPolicy"));
        assertEquals(CloudSqlProxy.IMAGE, proxy.get("image"));
        var args = (List<String>) proxy.get("args");
        assertTrue(args.contains("--private-ip") && args.contains(CONNECTION) && !args.contains("--auto-iam-authn"), args.toString());
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyContainerIsRestrictedWithRequestsAndLimits() {
        var pod = pod(render("0.9.11"), "0.9.11");
        var containers = new java.util.ArrayList<Map<String, Object>>((List<Map<String, Object>>) pod.get("containers"));
        containers.addAll((List<Map<String, Object>>) pod.get("initContainers"));
        for (var container : containers) {
            var security = (Map<String, Object>) container.get("securityContext");
            assertEquals(true, security.get("runAsNonRoot"), container.get("name").toString());
            assertEquals(false, security.get("allowPrivilegeEscalation"));
            assertEquals(Map.of("drop", List.of("ALL")), security.get("capabilities"));
            assertEquals(Map.of("type", "RuntimeDefault"), security.get("seccompProfile"));
            var resources = (Map<String, Map<String, Object>>) container.get("resources");
            assertTrue(resources.get("requests").containsKey("cpu") && resources.get("limits").containsKey("memory"));
        }
        // The image's USER is a name (uid 1000): the pod names the number so runAsNonRoot can be checked.
        var pypgstac = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertEquals(PgstacMigration.IMAGE_UID, ((Number) ((Map<String, Object>) pypgstac.get("securityContext")).get("runAsUser")).intValue());
    }

    @Test
    void theJobWaitsForItsPasswordAndPoliciesAndBindsNoIdentityItself() {
        var run = render("0.9.11");
        var job = run.resource("kubernetes:batch/v1:Job", "cloudsql-pgstac-pgstac-migrate-pgstac-0-9-11");
        var dependsOn = job.options().dependsOn();
        for (String name : List.of("cloudsql-pgstac-password", "cloudsql-pgstac-allow-cloud-sql", "cloudsql-pgstac-allow-dns",
                "cloudsql-pgstac-service-account")) {
            assertTrue(dependsOn.stream().anyMatch(urn -> urn.endsWith("::" + name)), name + " in " + dependsOn);
        }
        // The migrator's own Google service account is bound to its KSA where it is created (CloudSqlDatabase's
        // pgstac-migrator workload): a binding here too would be a second owner of the same IAM member.
        assertTrue(run.all("gcp:serviceaccount/iAMMember:IAMMember").isEmpty());
        String egress = run.input("kubernetes:networking.k8s.io/v1:NetworkPolicy", "cloudsql-pgstac-allow-cloud-sql", "spec").toString();
        assertTrue(egress.contains("ipBlock={cidr=10.20.0.3/32}") && egress.contains("port=3307") && egress.contains("policyTypes=[Egress]"),
                egress);
    }

    @SuppressWarnings("unchecked")
    @Test
    void aTenantsJobRunsInItsNamespaceAsTheStackGresSuperuserThroughTheClusterService() {
        var run = Harness.preview("dev", ctx -> new PgstacMigration("globex-pgstac", new PgstacMigration.Args(
                List.of(new PgstacMigration.PgstacDatabase("globex", "postgres")), "0.9.11",
                new PgstacMigration.StackGresService("tenant-globex", "globex"), Map.of()), dev.dataplatform.kubernetes.TestClusters.EKS,
                ComponentResourceOptions.Empty)).succeeded();
        var job = run.resource("kubernetes:batch/v1:Job", "globex-pgstac-pgstac-migrate-globex-0-9-11");
        assertEquals("tenant-globex", run.input(job.type(), job.name(), "metadata.namespace"));
        var spec = (Map<String, Object>) job.inputs().get("spec");
        var pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        var container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        String env = container.get("env").toString();
        assertTrue(env.contains("{name=PGHOST, value=globex}") && env.contains("{name=PGUSER, value=postgres}")
                && env.contains("secretKeyRef={key=superuser-password, name=globex}"), env);
        assertEquals(null, pod.get("initContainers"));
        assertEquals(0, run.count("kubernetes:core/v1:Namespace"), "the tenant's namespace is the tenant's");
    }

    @Test
    void withLoginsTheJobAlsoSetsTheirSearchPathThroughPositionalParameters() {
        var target = new PgstacMigration.PgstacDatabase("pgstac", "pgstac_migrator", List.of("data-workloads@acme-data-dev.iam"));
        assertEquals(List.of("sh", "-ec", "pypgstac migrate --toversion \"$0\"\npsql -v ON_ERROR_STOP=1 -c \"$1\"", "0.9.11",
                        "ALTER ROLE \"data-workloads@acme-data-dev.iam\" IN DATABASE \"pgstac\" SET search_path TO pgstac, public;\n"),
                PgstacMigration.command(target, "0.9.11"));
        assertEquals(List.of("pypgstac", "migrate", "--toversion", "0.9.11"),
                PgstacMigration.command(new PgstacMigration.PgstacDatabase("pgstac", "m"), "0.9.11"));
    }

    @Test
    void anUnknownVersionIsRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> new PgstacMigration.Args(List.of(), "0.9.9",
                new PgstacMigration.CloudSql("p", "p:r:i", Output.of(""), Output.of(""), "s", "k"), Map.of()));
        assertEquals("pgSTAC version '0.9.9' is not known; allowed: 0.9.10, 0.9.11", error.getMessage());
    }
}
