package dev.dataplatform.fleet;

import dev.dataplatform.plan.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tenants remove --env E --name C}: the shard holding C loses exactly its entry, unless C's data is protected. */
class TenantsRemoveTest {
    static final Path ROOT = Path.of("..");

    record Run(int code, String out, String err) {
    }

    static Run remove(Path dir, String name) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Cli.run(new String[]{"tenants", "remove", "--env", "prod", "--name", name, "--no-apply", "--json", "--cwd",
                dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The committed prod platform and shard, plus a second shard with client acme. */
    static Path project(Path dir, boolean decommissionGlobex) throws IOException {
        for (String f : List.of("Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.prod-tenants-01.yaml")) {
            Files.copy(ROOT.resolve(f), dir.resolve(f));
        }
        if (decommissionGlobex) {
            String shard = Files.readString(dir.resolve("Pulumi.prod-tenants-01.yaml"));
            String edited = shard.replace("      - name: globex\n", "      - name: globex\n        decommission: true\n");
            assertFalse(edited.equals(shard));
            Files.writeString(dir.resolve("Pulumi.prod-tenants-01.yaml"), edited);
        }
        Files.writeString(dir.resolve("Pulumi.prod-tenants-02.yaml"), """
                config:
                  pulumi:disable-default-providers: [kubernetes]
                  data-platform:environment: prod
                  data-platform:platformStack: organization/data-platform/prod
                  data-platform:tenants:
                    clients:
                      # the first client of this shard
                      - name: acme
                        extensions: [postgis]
                """);
        return dir;
    }

    static Map<String, String> files(Path dir) throws IOException {
        var all = new TreeMap<String, String>();
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                all.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return all;
    }

    @Test
    void aProtectedTenantIsRefusedNamingTheFileAndKeyAndNothingChanges(@TempDir Path dir) throws IOException {
        project(dir, false);
        var before = files(dir);
        var run = remove(dir, "globex");
        assertEquals(Cli.INVALID, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("Pulumi.prod-tenants-01.yaml: data-platform:tenants.clients[0].decommission: client 'globex' "
                + "is protected in prod ("), run.err());
        assertTrue(run.err().contains("SGCluster globex-cluster") && run.err().contains("set decommission: true"), run.err());
        assertEquals(before, files(dir));
    }

    @Test
    void aDecommissionedTenantLeavesExactlyItsShardFile(@TempDir Path dir) throws IOException {
        project(dir, true);
        var before = files(dir);
        var run = remove(dir, "globex");
        assertEquals(Cli.OK, run.code(), run.out() + run.err());
        var document = com.google.gson.JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("prod-tenants-01", document.get("stack").getAsString());
        assertEquals("Pulumi.prod-tenants-01.yaml", document.get("file").getAsString());
        var removed = document.getAsJsonArray("removed").toString();
        assertTrue(removed.contains("urn:pulumi:prod-tenants-01::data-platform::dataplatform:kubernetes:StackGresTenant"
                + "$kubernetes:stackgres.io/v1:SGCluster::globex-cluster"), removed);
        var after = files(dir);
        for (String f : before.keySet()) {
            if (!f.equals("Pulumi.prod-tenants-01.yaml")) {
                assertEquals(before.get(f), after.get(f), f + " must not change");
            }
        }
        String shard = after.get("Pulumi.prod-tenants-01.yaml");
        assertFalse(shard.contains("globex"), shard);
        // The rest of the file is kept as it was (comments and keys before the list).
        assertTrue(shard.startsWith(before.get("Pulumi.prod-tenants-01.yaml").substring(0,
                before.get("Pulumi.prod-tenants-01.yaml").indexOf("      - name: globex"))), shard);
        // The other shard's client is protected (prod, no decommission): the refusal names its own file.
        var acme = remove(dir, "acme");
        assertEquals(Cli.INVALID, acme.code(), acme.err());
        assertTrue(acme.err().contains("Pulumi.prod-tenants-02.yaml: data-platform:tenants.clients[0].decommission"), acme.err());
    }

    @Test
    void anUnknownTenantIsRefusedAndNothingChanges(@TempDir Path dir) throws IOException {
        project(dir, false);
        var before = files(dir);
        var run = remove(dir, "nobody");
        assertEquals(Cli.INVALID, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("client 'nobody' is in no tenant shard of prod (searched data-platform:tenants.clients of "
                + "Pulumi.prod-tenants-01.yaml, Pulumi.prod-tenants-02.yaml): nothing to remove"), run.err());
        assertEquals(before, files(dir));
    }
}
