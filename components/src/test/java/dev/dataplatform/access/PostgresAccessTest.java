package dev.dataplatform.access;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.access.PrivilegeGrant.Kind;
import dev.dataplatform.access.PrivilegeGrant.ObjectType;
import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;
import dev.dataplatform.postgresql.Database;
import dev.dataplatform.postgresql.DefaultPrivileges;
import dev.dataplatform.postgresql.Grant;
import dev.dataplatform.postgresql.GrantRole;
import dev.dataplatform.postgresql.PostgresqlPlugin;
import dev.dataplatform.postgresql.Provider;
import dev.dataplatform.postgresql.Role;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Renderer A: the pulumi-postgresql resources declared for a model, read back from the offline engine. */
class PostgresAccessTest {

    static Harness.Run render(AccessModel model, boolean protect) {
        return Harness.preview(protect ? "prod" : "dev", ctx -> new PostgresAccess("catalog", new PostgresAccess.Args(model,
                Provider.Args.builder().host(Output.of("10.0.0.3")).port(5432).username(Output.of("postgres"))
                        .password(Output.of("admin-password-from-secret-manager")).sslmode("require")
                        .superuser(false).connectTimeout(15).build(),
                protect), ComponentResourceOptions.Empty)).succeeded();
    }

    /** Reads a recorded Grant/DefaultPrivileges back into the model's terms. */
    @SuppressWarnings("unchecked")
    static PrivilegeGrant asModel(PlannedResource r) {
        var kind = r.type().equals(DefaultPrivileges.TYPE) ? Kind.DEFAULT : Kind.GRANT;
        var type = ObjectType.valueOf(String.valueOf(r.inputs().get("objectType")).toUpperCase(Locale.ROOT));
        return new PrivilegeGrant(kind, (String) r.inputs().get("database"), (String) r.inputs().get("schema"), type,
                (String) r.inputs().get("owner"), (String) r.inputs().get("role"),
                new TreeSet<>((List<String>) r.inputs().get("privileges")));
    }

    @Test
    void declaresExactlyThePrivilegesOfTheModel() {
        for (AccessModel model : List.of(Models.catalog(), Models.twoDatabases())) {
            var run = render(model, false);
            var declared = new HashSet<PrivilegeGrant>();
            run.all(Grant.TYPE).forEach(r -> declared.add(asModel(r)));
            run.all(DefaultPrivileges.TYPE).forEach(r -> declared.add(asModel(r)));
            assertEquals(new HashSet<>(model.privileges()), declared);
            assertEquals(model.privileges().size(), run.count(Grant.TYPE) + run.count(DefaultPrivileges.TYPE),
                    "one resource per grant: nothing declared twice");
        }
    }

    @Test
    void declaresTheModelsRolesAndMemberships() {
        var model = Models.catalog();
        var run = render(model, false);
        Map<String, Object> logins = run.all(Role.TYPE).stream()
                .collect(Collectors.toMap(r -> (String) r.inputs().get("name"), r -> r.inputs().get("login")));
        var expected = new java.util.HashMap<String, Object>();
        model.groupRoles().forEach(role -> expected.put(role, false));
        model.loginRoles().forEach(role -> expected.put(role, true));
        assertEquals(expected, logins);
        run.all(Role.TYPE).forEach(r -> {
            assertEquals(false, r.inputs().get("superuser"), r.name());
            assertEquals(false, r.inputs().get("createRole"), r.name());
            assertFalse(r.inputs().containsKey("password"), "no role has a password: " + r.name());
        });
        Set<DatabaseModel.Membership> memberships = run.all(GrantRole.TYPE).stream()
                .map(r -> new DatabaseModel.Membership((String) r.inputs().get("role"), (String) r.inputs().get("grantRole")))
                .collect(Collectors.toSet());
        var expectedMemberships = new HashSet<>(model.memberships());
        // The provider's admin joins each owner role, so its database-level grants take effect (see SqlScript.adminInOwner).
        model.databases().forEach(db -> expectedMemberships.add(new DatabaseModel.Membership("postgres", db.ownerRole())));
        assertEquals(expectedMemberships, memberships);
    }

    @Test
    void everyResourceUsesTheExplicitProviderAtThePinnedVersion() {
        var run = render(Models.twoDatabases(), false);
        var provider = run.resource(Provider.TYPE, "catalog");
        var postgresql = run.resources().stream().filter(r -> r.type().startsWith("postgresql:")).toList();
        assertFalse(postgresql.isEmpty());
        for (var r : postgresql) {
            assertEquals(provider.urn(), r.options().provider(), r.urn());
            assertEquals(PostgresqlPlugin.VERSION, r.options().version(), r.urn());
        }
        assertEquals(PostgresqlPlugin.VERSION, provider.options().version());
    }

    @Test
    void providerInputsAreJsonEncodedAndThePasswordIsSecret() {
        var provider = render(Models.catalog(), false).resource(Provider.TYPE, "catalog");
        assertEquals("5432", provider.inputs().get("port"));
        assertEquals("false", provider.inputs().get("superuser"));
        assertEquals("15", provider.inputs().get("connectTimeout"));
        assertEquals("require", provider.inputs().get("sslmode"));
        assertEquals("[secret]", provider.inputs().get("password"));
    }

    @Test
    void databasesAreProtectedWhenAskedAndOwnedByTheOwnerRole() {
        var protectedRun = render(Models.catalog(), true);
        var db = protectedRun.resource(Database.TYPE, "catalog-database-pgstac");
        assertTrue(db.options().protect());
        assertEquals("pgstac_owner", db.inputs().get("owner"));
        assertEquals("UTF8", db.inputs().get("encoding"));
        assertEquals(List.of(), protectedRun.findings(Environment.PROD).stream()
                .filter(f -> f.rule().equals("stateful-protected")).toList());

        var devRun = render(Models.catalog(), false);
        assertFalse(devRun.resource(Database.TYPE, "catalog-database-pgstac").options().protect());
        assertFalse(devRun.findings(Environment.PROD).isEmpty(), "unprotected databases fail the prod guardrail");
    }

    @Test
    void pgstacGetsItsExtensionsInSchemaPublic() {
        var run = render(Models.catalog(), false);
        var extensions = run.all("postgresql:index/extension:Extension").stream()
                .map(r -> r.inputs().get("name") + "@" + r.inputs().get("schema")).sorted().toList();
        assertEquals(List.of("btree_gist@public", "postgis@public", "unaccent@public"), extensions);
        var schema = run.resource("postgresql:index/schema:Schema", "catalog-pgstac-schema-ingest");
        assertEquals("pgstac_owner", schema.inputs().get("owner"));
        assertEquals(false, schema.inputs().get("dropCascade"));
    }

    @Test
    void grantsWaitForTheirDatabaseAndRoles() {
        var run = render(Models.catalog(), false);
        var grant = run.resource(Grant.TYPE, "catalog-pgstac-grant-table-ingest-pgstac_reader");
        var database = run.resource(Database.TYPE, "catalog-database-pgstac");
        var reader = run.resource(Role.TYPE, "catalog-role-pgstac_reader");
        assertTrue(grant.options().dependsOn().containsAll(List.of(database.urn(), reader.urn())), grant.options().dependsOn().toString());
        assertNotNull(grant.parent());
    }

    @Test
    void noSecretLeaksIntoThePlan() {
        var run = render(Models.catalog(), false);
        assertFalse(run.recording().toString().contains("admin-password-from-secret-manager"));
        assertEquals(List.of(), run.findings(Environment.DEV));
    }
}
