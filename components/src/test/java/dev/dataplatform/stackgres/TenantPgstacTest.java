package dev.dataplatform.stackgres;

import dev.dataplatform.core.Environment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dataplatform.stackgres.StackGresTenantTest.CLUSTER;
import static dev.dataplatform.stackgres.StackGresTenantTest.SCRIPT;
import static dev.dataplatform.stackgres.StackGresTenantTest.run;
import static dev.dataplatform.stackgres.StackGresTenantTest.spec;
import static dev.dataplatform.stackgres.StackGresTenantTest.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tenant with pgstac: its SGScript carries the access model's pgSTAC part; StackGres installs PostGIS. */
class TenantPgstacTest {
    @SuppressWarnings("unchecked")
    static String access(boolean pgstac) {
        var run = run(Environment.DEV, tenant(Environment.DEV).extensions(List.of()).pgstac(pgstac).build());
        var entries = (List<Map<String, Object>>) spec(run.resource(SCRIPT, "acme-access-script"), "scripts");
        return script(entries, "roles") + "\n" + script(entries, "access-acme");
    }

    static Object script(List<Map<String, Object>> entries, String name) {
        return entries.stream().filter(e -> name.equals(e.get("name"))).findFirst().orElseThrow().get("script");
    }

    @Test
    void aPgstacTenantGetsThePgstacRolesGrantsAndSearchPath() {
        String script = access(true);
        assertTrue(script.contains("GRANT \"pgstac_ingest\" TO \"acme_writer\";"), script);
        assertTrue(script.contains("GRANT USAGE ON SCHEMA \"public\" TO \"pgstac_admin\";"), script);
        assertTrue(script.contains("GRANT CONNECT, TEMPORARY ON DATABASE \"acme\" TO \"acme_writer\";"), script);
        assertTrue(script.contains("ALTER DATABASE \"acme\" SET search_path TO pgstac, public;"), script);
        for (String extension : List.of("postgis", "btree_gist", "unaccent")) {
            assertTrue(script.contains("CREATE EXTENSION IF NOT EXISTS \"" + extension + "\""), extension);
        }
        assertFalse(access(false).contains("pgstac_admin"));
    }

    @Test
    void stackGresInstallsPostgisForAPgstacTenant() {
        var run = run(Environment.DEV, tenant(Environment.DEV).extensions(List.of()).pgstac(true).build());
        assertEquals(List.of(Map.of("name", "postgis")), spec(run.resource(CLUSTER, "acme-cluster"), "postgres.extensions"));
    }
}
