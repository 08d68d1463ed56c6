package dev.dataplatform.guardrails;

import dev.dataplatform.core.Environment;
import dev.dataplatform.engine.PlannedResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** database-role-memberships: a membership has one owner (GrantRole, with the Role ignoring roles; or the Role's roles). */
class RoleMembershipsRuleTest {
    static final String PROVIDER = "urn:pulumi:test::data-platform::pulumi:providers:postgresql::server";

    static PlannedResource resource(String type, String name, Map<String, Object> inputs, List<String> ignoreChanges) {
        return new PlannedResource("urn:pulumi:test::data-platform::" + type + "::" + name, type, name, null, true, inputs,
                new PlannedResource.Options(false, false, List.of(), PROVIDER, List.of(), "3.18.0", ignoreChanges));
    }

    static List<Finding> findings(PlannedResource... resources) {
        return DatabaseRules.roleMemberships().evaluate(new PlanView(Environment.PROD, List.of(resources), Map.of()));
    }

    static final PlannedResource GRANT = resource(DatabaseRules.GRANT_ROLE, "etl-in-rds_iam",
            Map.of("role", "etl", "grantRole", "rds_iam", "withAdminOption", false), List.of());

    @Test
    void aRoleThatAGrantRoleMakesAMemberIgnoresRoles() {
        assertEquals(List.of(), findings(resource(DatabaseRules.ROLE, "etl", Map.of("name", "etl"), List.of("roles")), GRANT));
        var missing = findings(resource(DatabaseRules.ROLE, "etl", Map.of("name", "etl"), List.of()), GRANT);
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).message().contains("made a member of rds_iam by GrantRole, but its Role does not ignore "
                + "changes to roles"), missing.get(0).message());
    }

    @Test
    void aRoleListsItsOwnRolesOnlyWhenNoGrantRoleTouchesIt() {
        assertEquals(List.of(), findings(resource(DatabaseRules.ROLE, "dp_backup",
                Map.of("name", "dp_backup", "roles", List.of("rds_iam")), List.of()), GRANT));
        var both = findings(resource(DatabaseRules.ROLE, "etl", Map.of("name", "etl", "roles", List.of("rds_iam")),
                List.of("roles")), GRANT);
        assertEquals(1, both.size());
        assertTrue(both.get(0).message().contains("one owner per membership"), both.get(0).message());
    }
}
