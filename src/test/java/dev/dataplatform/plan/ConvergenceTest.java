package dev.dataplatform.plan;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.dataplatform.engine.PlannedResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.dataplatform.plan.CliTest.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refresh, then plan: nothing changes. Each committed stack is planned, its postgresql resources are refreshed by
 * {@link ProviderRefreshModel} (what the provider reads back from a server holding exactly what the plan made), and
 * {@code plan --diff} against that refreshed state must show no create, update, replace or delete. Two resources that
 * fight over one attribute (a Role's memberships against GrantRole, two Grants on one object) show up here as an update.
 */
class ConvergenceTest {
    static final Path ROOT = Path.of("..");
    static final Gson GSON = new GsonBuilder().serializeNulls().create();

    @TempDir
    static Path dir;

    static Path refreshed(String stack) throws IOException {
        var file = dir.resolve(stack + "-refreshed.json");
        Files.writeString(file, GSON.toJson(ProviderRefreshModel.refresh(StackPlans.of(stack))));
        return file;
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void aRefreshedStackPlansNoChange(String stack) throws IOException {
        var outcome = plan("plan", "--stack", stack, "--json", "--cwd", ROOT.toString(), "--diff", refreshed(stack).toString());
        Map<String, Object> document = GSON.fromJson(outcome.out(), new TypeToken<Map<String, Object>>() { }.getType());
        var diff = (Map<String, Object>) document.get("diff");
        assertEquals(List.of(), diff.get("changes"), "refresh then plan changes something in " + stack);
        assertEquals(0, outcome.code(), outcome.err() + document.get("findings"));
        // The model did read memberships back: the stack's Roles hold GrantRole memberships after the refresh.
        long rolesWithMemberships = ((List<Map<String, Object>>) ProviderRefreshModel.refresh(StackPlans.of(stack)).get("resources"))
                .stream().filter(r -> ProviderRefreshModel.ROLE.equals(r.get("type")))
                .filter(r -> ((Map<String, Object>) r.get("inputs")).get("roles") instanceof List<?> l && !l.isEmpty()).count();
        assertTrue(rolesWithMemberships >= 3, stack + ": " + rolesWithMemberships);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void everyRoleWithAGrantRoleMembershipIgnoresRolesInThePlanJson(String stack) {
        var granted = new java.util.HashSet<String>();
        StackPlans.resources(stack, ProviderRefreshModel.GRANT_ROLE).forEach(g -> granted.add(
                StackPlans.options(g).get("provider") + "|" + StackPlans.inputs(g).get("role")));
        var roles = StackPlans.resources(stack, ProviderRefreshModel.ROLE);
        assertFalse(roles.isEmpty(), stack);
        int withGrants = 0;
        for (var role : roles) {
            String name = (String) StackPlans.inputs(role).get("name");
            assertFalse(name.startsWith("pg_"), stack + ": " + name);
            if (granted.contains(StackPlans.options(role).get("provider") + "|" + name)) {
                withGrants++;
                assertEquals(List.of("roles"), StackPlans.options(role).get("ignoreChanges"), stack + ": " + name);
                assertFalse(StackPlans.inputs(role).containsKey("roles"), stack + ": " + name);
            }
        }
        assertTrue(withGrants >= 3, stack + ": " + withGrants);
    }

    @Test
    void ignoreChangesCoversThePathAndWhatIsBelowIt() {
        assertTrue(PlanDiff.ignored("roles", List.of("roles")));
        assertTrue(PlanDiff.ignored("roles.1", List.of("roles")));
        assertTrue(PlanDiff.ignored("spec.template.metadata", List.of("spec.template")));
        assertTrue(PlanDiff.ignored("items.0.name", List.of("items[0]")));
        assertFalse(PlanDiff.ignored("rolesExtra", List.of("roles")));
        assertFalse(PlanDiff.ignored("login", List.of("roles")));
    }

    @Test
    void withoutIgnoringRolesTheRefreshedMembershipsWouldBeRevoked() throws IOException {
        // The plan as the code declared it before the rule: the same resources without ignoreChanges.
        for (String stack : List.of("dev", "stage", "prod")) {
            var planned = planned(StackPlans.of(stack), true);
            var result = PlanDiff.compare(BaseState.read(refreshed(stack)), planned);
            var updated = result.changes().stream().filter(c -> c.operation() != PlanDiff.Operation.SAME).toList();
            assertFalse(updated.isEmpty(), stack);
            assertTrue(updated.stream().allMatch(c -> c.type().equals(ProviderRefreshModel.ROLE)
                    && c.operation() == PlanDiff.Operation.UPDATE && c.paths().stream().allMatch(p -> p.startsWith("roles"))),
                    updated.toString());
            // With the rule, the same comparison is clean.
            assertEquals(0, PlanDiff.compare(BaseState.read(refreshed(stack)), planned(StackPlans.of(stack), false)).changes()
                    .stream().filter(c -> c.operation() != PlanDiff.Operation.SAME).count(), stack);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void twoGrantsOnOneObjectFightAndTheModelShowsIt() throws IOException {
        var plan = new LinkedHashMap<>(StackPlans.of("dev"));
        var resources = new ArrayList<Map<String, Object>>((List<Map<String, Object>>) plan.get("resources"));
        var grant = resources.stream().filter(r -> ProviderRefreshModel.GRANT.equals(r.get("type"))
                && "database".equals(((Map<String, Object>) r.get("inputs")).get("objectType"))
                && List.of("CONNECT").equals(((Map<String, Object>) r.get("inputs")).get("privileges"))).findFirst().orElseThrow();
        var second = new LinkedHashMap<>(grant);
        var inputs = new LinkedHashMap<>((Map<String, Object>) grant.get("inputs"));
        inputs.put("privileges", List.of("TEMPORARY"));
        second.put("inputs", inputs);
        second.put("urn", grant.get("urn") + "-second");
        resources.add(second);
        plan.put("resources", resources);
        var file = dir.resolve("fight.json");
        Files.writeString(file, GSON.toJson(ProviderRefreshModel.refresh(plan)));
        var result = PlanDiff.compare(BaseState.read(file), planned(plan, false));
        var updates = result.changes().stream().filter(c -> c.operation() != PlanDiff.Operation.SAME).map(PlanDiff.Change::urn).toList();
        assertEquals(List.of(grant.get("urn"), grant.get("urn") + "-second"), updates);
    }

    /** The plan document's resources as planned resources, optionally without their ignoreChanges. */
    @SuppressWarnings("unchecked")
    static List<PlannedResource> planned(Map<String, Object> plan, boolean withoutIgnoreChanges) {
        var result = new ArrayList<PlannedResource>();
        for (var r : (List<Map<String, Object>>) plan.get("resources")) {
            var options = (Map<String, Object>) r.get("options");
            result.add(new PlannedResource((String) r.get("urn"), (String) r.get("type"), (String) r.get("name"),
                    (String) r.get("parent"), Boolean.TRUE.equals(r.get("custom")), (Map<String, Object>) r.get("inputs"),
                    new PlannedResource.Options(Boolean.TRUE.equals(options.get("protect")), false, List.of(),
                            (String) options.get("provider"), List.of(), null,
                            withoutIgnoreChanges ? List.of() : (List<String>) options.get("ignoreChanges"))));
        }
        return result;
    }
}
