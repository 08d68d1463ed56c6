package dev.dataplatform.plan;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.dataplatform.plan.CliTest.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `plan --diff BASE.json`: what a change does to the committed stacks, as a reviewer sees it. */
class PlanDiffTest {
    static final Path ROOT = Path.of("..");
    static final String TENANT = "dataplatform:kubernetes:StackGresTenant";

    @TempDir
    static Path shared;
    static Path prodBase;

    @BeforeAll
    static void planTheCommittedProdStack() throws IOException {
        var base = plan("plan", "--stack", "prod", "--json", "--cwd", ROOT.toString());
        prodBase = shared.resolve("prod-base.json");
        Files.writeString(prodBase, base.out());
    }

    /** A copy of the project whose prod stack file is edited. */
    static Path prodCopy(Path dir, UnaryOperator<String> edit) throws IOException {
        Files.copy(ROOT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        String stack = Files.readString(ROOT.resolve("Pulumi.prod.yaml"));
        String edited = edit.apply(stack);
        assertFalse(edited.equals(stack), "the edit changed nothing");
        Files.writeString(dir.resolve("Pulumi.prod.yaml"), edited);
        return dir;
    }

    static List<JsonObject> changes(JsonObject plan, String operation) {
        var result = new ArrayList<JsonObject>();
        for (JsonElement e : plan.getAsJsonObject("diff").getAsJsonArray("changes")) {
            if (e.getAsJsonObject().get("operation").getAsString().equals(operation)) {
                result.add(e.getAsJsonObject());
            }
        }
        return result;
    }

    static List<String> strings(JsonArray array) {
        var result = new ArrayList<String>();
        array.forEach(e -> result.add(e.getAsString()));
        return result;
    }

    @Test
    void removingATenantAndChangingTheTierDeletesTheTenantAndUpdatesTheInstanceInPlace(@TempDir Path dir) throws IOException {
        // prod's tenants live in its shard prod-tenants-01 (the platform file keeps clients: []): the tier changes in
        // the platform stack, the tenant goes from the shard, and each stack's plan is compared with its own base.
        prodCopy(dir, s -> s.replace("tier: db-custom-4-16384", "tier: db-custom-8-32768"));
        String shard = Files.readString(ROOT.resolve("Pulumi.prod-tenants-01.yaml"));
        String shardEdited = shard.replaceAll("(?s)    clients:\n      - name: globex\n.*?storageGiB: 200\n", "    clients: []\n");
        assertFalse(shardEdited.equals(shard), "the edit changed nothing");
        Files.writeString(dir.resolve("Pulumi.prod-tenants-01.yaml"), shardEdited);
        var shardBase = dir.resolve("prod-tenants-01-base.json");
        var shardPlan = plan("plan", "--stack", "prod-tenants-01", "--json", "--cwd", ROOT.toString());
        assertEquals(0, shardPlan.code(), shardPlan.err());
        Files.writeString(shardBase, shardPlan.out());

        var platform = plan("plan", "--stack", "prod", "--json", "--cwd", dir.toString(), "--diff", prodBase.toString());
        var platformJson = platform.json();
        var updates = changes(platformJson, "update");
        assertEquals(1, updates.size(), updates.toString());
        assertEquals("gcp:sql/databaseInstance:DatabaseInstance", updates.get(0).get("type").getAsString());
        assertEquals(List.of("settings.tier"), strings(updates.get(0).getAsJsonArray("paths")));
        assertTrue(changes(platformJson, "replace").isEmpty());
        assertTrue(changes(platformJson, "create").isEmpty());
        assertTrue(changes(platformJson, "delete").isEmpty());
        assertEquals(1, platformJson.getAsJsonObject("diff").getAsJsonObject("summary").get("update").getAsInt());

        var outcome = plan("plan", "--stack", "prod-tenants-01", "--json", "--cwd", dir.toString(), "--diff", shardBase.toString());
        assertEquals(Cli.GUARDRAIL_ERROR, outcome.code(), outcome.err());
        var json = outcome.json();
        assertTrue(changes(json, "update").isEmpty());
        assertTrue(changes(json, "replace").isEmpty());
        assertTrue(changes(json, "create").isEmpty());

        var deletes = changes(json, "delete");
        assertFalse(deletes.isEmpty());
        assertTrue(deletes.stream().allMatch(d -> d.get("urn").getAsString().contains(TENANT)), deletes.toString());
        var summary = json.getAsJsonObject("diff").getAsJsonObject("summary");
        assertEquals(deletes.size(), summary.get("delete").getAsInt());

        // Every protected or data-holding delete is an error finding; nothing else is.
        var flagged = new ArrayList<String>();
        for (JsonElement f : json.getAsJsonArray("findings")) {
            if (f.getAsJsonObject().get("rule").getAsString().startsWith("diff-")) {
                assertEquals("error", f.getAsJsonObject().get("severity").getAsString());
                flagged.add(f.getAsJsonObject().get("resource").getAsString());
            }
        }
        var expected = deletes.stream().filter(d -> d.get("protect").getAsBoolean() || d.get("stateful").getAsBoolean())
                .map(d -> d.get("urn").getAsString()).sorted().toList();
        assertTrue(expected.stream().anyMatch(u -> u.contains("SGCluster::globex-cluster")), expected.toString());
        assertEquals(expected, flagged.stream().sorted().toList());

        var platformHuman = plan("plan", "--stack", "prod", "--cwd", dir.toString(), "--diff", prodBase.toString());
        assertTrue(platformHuman.out().contains("~ gcp:sql/databaseInstance:DatabaseInstance  cloudsql"), platformHuman.out());
        assertTrue(platformHuman.out().contains("~  settings.tier"), platformHuman.out());
        assertTrue(platformHuman.out().contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, "), platformHuman.out());
        var human = plan("plan", "--stack", "prod-tenants-01", "--cwd", dir.toString(), "--diff", shardBase.toString());
        assertEquals(Cli.GUARDRAIL_ERROR, human.code());
        assertTrue(human.out().contains("  - kubernetes:stackgres.io/v1:SGCluster"), human.out());
        assertTrue(human.out().contains("Plan: 0 to create, 0 to update, 0 to replace, " + deletes.size() + " to delete, "),
                human.out());
    }

    @Test
    void tenantsMovedFromThePlatformToAShardAreMovesNotDeletes(@TempDir Path dir) throws IOException {
        // The base: prod before the move, its clients still in the platform stack file (the shard's entries, inline).
        Path before = Files.createDirectories(dir.resolve("before"));
        Files.copy(ROOT.resolve("Pulumi.yaml"), before.resolve("Pulumi.yaml"));
        String shard = Files.readString(ROOT.resolve("Pulumi.prod-tenants-01.yaml"));
        String clients = shard.substring(shard.indexOf("    clients:\n"));
        String platform = Files.readString(ROOT.resolve("Pulumi.prod.yaml"));
        assertTrue(platform.contains("    clients: []\n") && clients.contains("- name: globex"));
        Files.writeString(before.resolve("Pulumi.prod.yaml"), platform.replace("    clients: []\n", clients));
        var base = plan("plan", "--stack", "prod", "--json", "--cwd", before.toString());
        assertEquals(Cli.OK, base.code(), base.err());
        Path basePath = dir.resolve("prod-before.json");
        Files.writeString(basePath, base.out());

        // The committed platform against it: the tenant's resources left prod and the shard beside it declares them.
        var outcome = plan("plan", "--stack", "prod", "--json", "--cwd", ROOT.toString(), "--diff", basePath.toString());
        assertEquals(Cli.OK, outcome.code(), outcome.err());
        var json = outcome.json();
        var moves = changes(json, "move");
        assertTrue(moves.stream().anyMatch(m -> m.get("urn").getAsString().equals("urn:pulumi:prod::data-platform::" + TENANT
                + "$kubernetes:stackgres.io/v1:SGCluster::globex-cluster")), moves.toString());
        assertTrue(moves.stream().allMatch(m -> m.get("urn").getAsString().contains(TENANT)
                && m.get("movedTo").getAsString().equals("prod-tenants-01")
                && m.get("message").getAsString().equals("moved to stack prod-tenants-01")), moves.toString());
        assertTrue(moves.stream().anyMatch(m -> m.get("stateful").getAsBoolean() && m.get("protect").getAsBoolean()), moves.toString());
        assertEquals(List.of(), changes(json, "delete"));
        assertEquals(moves.size(), json.getAsJsonObject("diff").getAsJsonObject("summary").get("move").getAsInt());
        // A move deletes nothing: no diff-delete-stateful finding, though the SGCluster holds data and is protected;
        // one warning says the state must move before the platform's next up.
        var diffFindings = new java.util.ArrayList<JsonObject>();
        for (JsonElement f : json.getAsJsonArray("findings")) {
            if (f.getAsJsonObject().get("rule").getAsString().startsWith("diff-")) {
                diffFindings.add(f.getAsJsonObject());
            }
        }
        assertEquals(1, diffFindings.size(), diffFindings.toString());
        assertEquals("diff-move-needs-state-move", diffFindings.get(0).get("rule").getAsString());
        assertEquals("warning", diffFindings.get(0).get("severity").getAsString().toLowerCase(java.util.Locale.ROOT));
        assertTrue(diffFindings.get(0).get("message").getAsString().startsWith(moves.size() + " resources move to stack prod-tenants-01"),
                diffFindings.get(0).toString());

        // Against the deployed platform (its state still holds the tenant) the same change is a delete `up` would make:
        // an error naming the stack to move the state to.
        var deployed = new dev.dataplatform.plan.PlanDiff.Result(BaseState.Kind.DEPLOYED, List.of(new PlanDiff.Change(
                "urn:pulumi:prod::data-platform::" + TENANT + "$kubernetes:stackgres.io/v1:SGCluster::globex-cluster",
                "kubernetes:stackgres.io/v1:SGCluster", null, PlanDiff.Operation.DELETE, List.of(), List.of(), true, true, null, null)),
                List.of()).withMoves(java.util.Map.of("data-platform::" + TENANT + "$kubernetes:stackgres.io/v1:SGCluster::globex-cluster",
                "prod-tenants-01"));
        assertEquals(PlanDiff.Operation.DELETE, deployed.changes().get(0).operation());
        assertTrue(deployed.findings().stream().anyMatch(f -> f.rule().equals("diff-state-not-moved")
                && f.message().contains("move its state first (pulumi state move --source prod --dest prod-tenants-01")), deployed.findings().toString());
        assertTrue(deployed.findings().stream().anyMatch(f -> f.rule().equals("diff-delete-stateful")), deployed.findings().toString());
        var human = plan("plan", "--stack", "prod", "--cwd", ROOT.toString(), "--diff", basePath.toString());
        assertTrue(human.out().contains("  > kubernetes:stackgres.io/v1:SGCluster  urn:pulumi:prod::data-platform::" + TENANT
                + "$kubernetes:stackgres.io/v1:SGCluster::globex-cluster  moved to stack prod-tenants-01  [protected]"), human.out());
        assertTrue(human.out().contains(", 0 to delete, ") && human.out().contains(" moved to other stacks"), human.out());

        // Without the shard the same change deletes the tenant's data: an error, as before.
        Path alone = Files.createDirectories(dir.resolve("alone"));
        for (String f : List.of("Pulumi.yaml", "Pulumi.prod.yaml")) {
            Files.copy(ROOT.resolve(f), alone.resolve(f));
        }
        var deleted = plan("plan", "--stack", "prod", "--json", "--cwd", alone.toString(), "--diff", basePath.toString());
        assertEquals(Cli.GUARDRAIL_ERROR, deleted.code(), deleted.err());
        assertEquals(moves.size(), changes(deleted.json(), "delete").size());
        assertEquals(List.of(), changes(deleted.json(), "move"));
    }

    @Test
    void theSamePlanChangesNothing() {
        var outcome = plan("plan", "--stack", "prod", "--json", "--cwd", ROOT.toString(), "--diff", prodBase.toString());
        assertEquals(0, outcome.code(), outcome.err());
        var diff = outcome.json().getAsJsonObject("diff");
        assertEquals(0, diff.getAsJsonArray("changes").size(), diff.toString());
        assertEquals("plan", diff.get("base").getAsString());
        assertEquals(outcome.json().getAsJsonArray("resources").size(), diff.getAsJsonObject("summary").get("same").getAsInt());
    }

    @Test
    void aChangedForceNewInputIsAReplacementAndAnErrorForAStatefulResource(@TempDir Path dir) throws IOException {
        // google_storage_bucket.location is ForceNew (see ReplaceOnChange): moving the buckets replaces them.
        prodCopy(dir, s -> s.replace("    location: EU\n", "    location: US\n"));
        var outcome = plan("plan", "--stack", "prod", "--json", "--cwd", dir.toString(), "--diff", prodBase.toString());
        assertEquals(Cli.GUARDRAIL_ERROR, outcome.code(), outcome.err());
        var replaces = changes(outcome.json(), "replace");
        assertFalse(replaces.isEmpty());
        for (JsonObject r : replaces) {
            assertEquals("gcp:storage/bucket:Bucket", r.get("type").getAsString());
            assertTrue(strings(r.getAsJsonArray("replacePaths")).contains("location"), r.toString());
        }
        assertTrue(outcome.json().toString().contains("diff-replace-stateful"));
    }

    @Test
    void aDeployedStackExportIsReadByTheSameCode(@TempDir Path dir) throws IOException {
        // The shape of `pulumi stack export`: deployment.resources with inputs the provider checked
        // (auto-names, __defaults), secrets as ciphertext, and the engine's default providers.
        var base = JsonParser.parseString(Files.readString(prodBase)).getAsJsonObject();
        var resources = new JsonArray();
        var provider = new JsonObject();
        provider.addProperty("urn", "urn:pulumi:prod::data-platform::pulumi:providers:gcp::default_7_0_0");
        provider.addProperty("type", "pulumi:providers:gcp");
        resources.add(provider);
        for (JsonElement e : base.getAsJsonArray("resources")) {
            var planned = e.getAsJsonObject();
            var deployed = new JsonObject();
            deployed.add("urn", planned.get("urn"));
            deployed.add("type", planned.get("type"));
            deployed.add("custom", planned.get("custom"));
            deployed.add("protect", planned.getAsJsonObject("options").get("protect"));
            var inputs = planned.getAsJsonObject("inputs").deepCopy();
            inputs.add("__defaults", new JsonArray());
            inputs.addProperty("providerDefaultOnlyInState", "x");
            for (String key : List.copyOf(inputs.keySet())) {
                if (inputs.get(key).isJsonPrimitive() && "[secret]".equals(inputs.get(key).getAsString())) {
                    var secret = new JsonObject();
                    secret.addProperty("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270");
                    secret.addProperty("ciphertext", "v1:abcdef");
                    inputs.add(key, secret);
                }
            }
            deployed.add("inputs", inputs);
            resources.add(deployed);
        }
        var export = new JsonObject();
        export.addProperty("version", 3);
        var deployment = new JsonObject();
        deployment.add("resources", resources);
        export.add("deployment", deployment);
        Path exported = dir.resolve("export.json");
        Files.writeString(exported, export.toString());

        var outcome = plan("plan", "--stack", "prod", "--json", "--cwd", ROOT.toString(), "--diff", exported.toString());
        assertEquals(0, outcome.code(), outcome.err());
        var diff = outcome.json().getAsJsonObject("diff");
        assertEquals("deployed", diff.get("base").getAsString());
        assertEquals(0, diff.getAsJsonArray("changes").size(), diff.toString());
    }

    @Test
    void aTypeAliasMatchesTheOldUrnAsARename() {
        var planned = new dev.dataplatform.engine.PlannedResource(
                "urn:pulumi:prod::p::dataplatform:gcp:CloudSqlDatabase$gcp:serviceaccount/account:Account::wl",
                "gcp:serviceaccount/account:Account", "wl", null, true, java.util.Map.of(),
                new dev.dataplatform.engine.PlannedResource.Options(false, false, List.of(), null,
                        List.of(java.util.Map.of("type", "gcp:serviceAccount/account:Account")), null));
        String old = "urn:pulumi:prod::p::dataplatform:gcp:CloudSqlDatabase$gcp:serviceAccount/account:Account::wl";
        assertEquals(old, PlanDiff.aliasMatch(planned, java.util.Set.of(old)));
        assertNull(PlanDiff.aliasMatch(planned, java.util.Set.of(old.replace("::wl", "::other"))));
        var base = new BaseState(BaseState.Kind.PLAN, java.util.Map.of(old, new BaseState.Resource(old,
                "gcp:serviceAccount/account:Account", null, true, false, java.util.Map.of())));
        var result = PlanDiff.compare(base, List.of(planned));
        assertEquals(1, result.changes().size());
        assertEquals(PlanDiff.Operation.SAME, result.changes().get(0).operation());
        assertEquals(old, result.changes().get(0).renamedFrom());
    }

    @Test
    void aBadBaseIsAUsageErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path notJson = Files.writeString(dir.resolve("not.json"), "resources: [");
        Path wrongShape = Files.writeString(dir.resolve("shape.json"), "{\"outputs\": {}}");
        Path badEntry = Files.writeString(dir.resolve("entry.json"), "{\"resources\": [{\"urn\": 1}]}");
        for (var c : List.of(
                List.of(dir.resolve("missing.json").toString(), "not found"),
                List.of(notJson.toString(), "is not JSON"),
                List.of(wrongShape.toString(), "is neither a plan"),
                List.of(badEntry.toString(), "resources[0]"))) {
            var outcome = plan("plan", "--stack", "prod", "--cwd", ROOT.toString(), "--diff", c.get(0));
            assertEquals(Cli.INVALID, outcome.code(), c.toString());
            assertTrue(outcome.err().contains(c.get(0)) && outcome.err().contains(c.get(1)), outcome.err());
            assertEquals("", outcome.out());
        }
    }

    @Test
    void replaceRulesMatchNestedAndWholeBlockChanges() {
        assertTrue(ReplaceOnChange.matches("settings.tier", "settings.0.tier"));
        assertTrue(ReplaceOnChange.matches("metadata.name", "metadata"));
        assertTrue(ReplaceOnChange.matches("encryption", "encryption.defaultKmsKeyName"));
        assertFalse(ReplaceOnChange.matches("name", "namespace"));
        assertFalse(ReplaceOnChange.matches("settings.tier", "settings.tierX"));
    }
}
