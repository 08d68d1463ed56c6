package dev.dataplatform.program;

import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed stacks with pgSTAC: the plan holds the migration Job at the configured version, after the access model. */
class PgstacStacksTest {
    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void thePlanMigratesThePgstacDatabaseAtTheConfiguredVersionAfterItsRolesAndGrants(String stack) {
        var plan = CommittedPlans.of(stack);
        String version = plan.config().pgstac().orElseThrow().version();
        assertEquals("0.9.11", version);
        List<PlannedResource> jobs = plan.recording().resources().stream()
                .filter(r -> r.type().equals("kubernetes:batch/v1:Job") && r.urn().contains("dataplatform:pgstac:Migration")).toList();
        assertEquals(1, jobs.size(), jobs.toString());
        var job = jobs.get(0);
        assertEquals("pgstac-migrate-pgstac-0-9-11", ((Map<String, Object>) job.inputs().get("metadata")).get("name"));
        var pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) job.inputs().get("spec")).get("template")).get("spec");
        var container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertEquals("ghcr.io/stac-utils/pgstac-pypgstac:v" + version, container.get("image"));
        var command = (List<String>) container.get("command");
        assertEquals(List.of("sh", "-ec", "pypgstac migrate --toversion \"$0\"\npsql -v ON_ERROR_STOP=1 -c \"$1\"", version),
                command.subList(0, 4));
        // The workload's IAM user gets pgSTAC's search_path in the database (the provider cannot set the database's).
        assertEquals("ALTER ROLE \"data-workloads@acme-data-" + stack + ".iam\" IN DATABASE \"pgstac\" SET search_path TO "
                + "pgstac, public;\n", command.get(4));
        assertTrue(container.get("env").toString().contains("{name=PGUSER, value=pgstac_migrator}"), container.get("env").toString());

        // The Job's component waits for the Cloud SQL component: the engine records its roles and grants.
        var component = plan.recording().resources().stream().filter(r -> r.urn().equals(job.parent())).findFirst().orElseThrow();
        for (String name : List.of("cloudsql-access-login-pgstac_migrator", "cloudsql-access-member-pgstac_migrator-in-pgstac_ingest",
                "cloudsql-access-pgstac-grant-database-pgstac_migrator", "cloudsql-access-pgstac-grant-schema-public-pgstac_admin")) {
            assertTrue(component.options().dependsOn().stream().anyMatch(urn -> urn.endsWith("::" + name)), name);
        }
        assertEquals(Map.of("pgstac", "pgstac-migrate-pgstac-0-9-11"), plan.recording().outputs().get("pgstacMigrationJobs"));
        // The migrator login exists with CREATEROLE and is in pgstac_ingest.
        var migrator = plan.recording().resources().stream().filter(r -> r.type().equals("postgresql:index/role:Role")
                && "pgstac_migrator".equals(r.inputs().get("name"))).findFirst().orElseThrow();
        assertEquals(true, migrator.inputs().get("createRole"));
        assertEquals(false, migrator.inputs().get("superuser"));
    }

    @Test
    void aPgstacTenantGetsItsMigrationJobAtTheConfiguredVersion(@TempDir Path dir) throws Exception {
        // stage's tenants live in its shard, which reads the platform stack (planned offline from the same directory).
        String shard = Files.readString(StacksTest.ROOT.resolve("Pulumi.stage-tenants-01.yaml"))
                .replace("      - name: globex\n", "      - name: globex\n        pgstac: true\n");
        // The pgSTAC version is a platform setting (not a shard key): the shard reads it from the platform stack.
        String stage = Files.readString(StacksTest.ROOT.resolve("Pulumi.stage.yaml"))
                .replace("config:\n", "config:\n  data-platform:pgstacVersion: \"0.9.10\"\n");
        Files.writeString(dir.resolve("Pulumi.yaml"), Files.readString(StacksTest.ROOT.resolve("Pulumi.yaml")));
        Files.writeString(dir.resolve("Pulumi.stage.yaml"), stage);
        Files.writeString(dir.resolve("Pulumi.stage-tenants-01.yaml"), shard);
        var plan = Plan.run(dir, "stage-tenants-01");
        var job = plan.recording().resources().stream().filter(r -> r.type().equals("kubernetes:batch/v1:Job")
                && r.name().contains("pgstac-migrate")).findFirst().orElseThrow();
        assertTrue(job.urn().endsWith("::globex-pgstac-pgstac-migrate-globex-0-9-10"), job.urn());
        assertTrue(job.inputs().toString().contains("ghcr.io/stac-utils/pgstac-pypgstac:v0.9.10"), job.inputs().toString());
        var component = plan.recording().resources().stream().filter(r -> r.urn().equals(job.parent())).findFirst().orElseThrow();
        assertTrue(component.options().dependsOn().stream().anyMatch(urn -> urn.endsWith("::globex-access-script")),
                component.options().dependsOn().toString());
    }
}
