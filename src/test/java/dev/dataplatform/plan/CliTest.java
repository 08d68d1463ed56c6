package dev.dataplatform.plan;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.gcp.storage.Bucket;
import com.pulumi.gcp.storage.BucketArgs;
import dev.dataplatform.config.PlatformConfig;
import dev.dataplatform.program.PlatformProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan command in-process: exit codes, JSON contract, messages. The packaged jar: PlanJarIT. */
class CliTest {

    record Outcome(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    static Outcome plan(BiConsumer<Context, PlatformConfig> program, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), program);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Outcome plan(String... args) {
        return plan(PlatformProgram::declare, args);
    }

    static Path project(Path dir, String stack, String stackYaml) throws IOException {
        Files.writeString(dir.resolve("Pulumi.yaml"), "name: data-platform\nruntime: java\n");
        Files.writeString(dir.resolve("Pulumi." + stack + ".yaml"), stackYaml);
        return dir;
    }

    @Test
    void jsonPlanFollowsTheContract(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        var outcome = plan("plan", "--stack", "dev", "--json", "--cwd", dir.toString());

        assertEquals(0, outcome.code(), outcome.err());
        var json = outcome.json();
        assertEquals("data-platform", json.get("project").getAsString());
        assertEquals("dev", json.get("stack").getAsString());
        var stackResource = json.getAsJsonArray("resources").get(0).getAsJsonObject();
        assertEquals("urn:pulumi:dev::data-platform::pulumi:pulumi:Stack::data-platform-dev", stackResource.get("urn").getAsString());
        assertTrue(stackResource.get("parent").isJsonNull());
        for (String key : new String[]{"protect", "retainOnDelete", "dependsOn", "provider", "aliases", "ignoreChanges"}) {
            assertTrue(stackResource.getAsJsonObject("options").has(key), "options." + key);
        }
        assertEquals("dev", json.getAsJsonObject("outputs").get("environment").getAsString());
        assertEquals(0, json.getAsJsonArray("findings").size());
    }

    @Test
    void humanPlanShowsTheTreeOutputsAndFindings(@TempDir Path dir) throws IOException {
        project(dir, "stage", "config:\n  data-platform:environment: stage\n");
        var outcome = plan((ctx, config) -> new Bucket("raw", BucketArgs.builder().location("EU").build()),
                "plan", "--stack", "stage", "--cwd", dir.toString());

        assertEquals(1, outcome.code());
        assertTrue(outcome.out().contains("+ pulumi:pulumi:Stack  data-platform-stage"), outcome.out());
        assertTrue(outcome.out().contains("    + gcp:storage/bucket:Bucket  raw"), outcome.out());
        assertTrue(outcome.out().contains("error stateful-protected"), outcome.out());
    }

    @Test
    void aGuardrailErrorExitsOneAndIsInTheJson(@TempDir Path dir) throws IOException {
        project(dir, "prod", "config:\n  data-platform:environment: prod\n");
        var outcome = plan((ctx, config) -> new Bucket("raw", BucketArgs.builder().location("EU").build()),
                "plan", "--stack", "prod", "--json", "--cwd", dir.toString());

        assertEquals(Cli.GUARDRAIL_ERROR, outcome.code());
        JsonObject finding = null;
        for (var element : outcome.json().getAsJsonArray("findings")) {
            if (element.getAsJsonObject().get("rule").getAsString().equals("stateful-protected")) {
                finding = element.getAsJsonObject();
            }
        }
        assertTrue(finding != null, outcome.out());
        assertEquals("error", finding.get("severity").getAsString());
        assertEquals("urn:pulumi:prod::data-platform::gcp:storage/bucket:Bucket::raw", finding.get("resource").getAsString());
    }

    @Test
    void secretsAreMaskedInThePlan(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        var outcome = plan((ctx, config) -> ctx.export("token", Output.ofSecret("tok-123")),
                "plan", "--stack", "dev", "--json", "--cwd", dir.toString());

        assertEquals(0, outcome.code(), outcome.err());
        assertEquals("[secret]", outcome.json().getAsJsonObject("outputs").get("token").getAsString());
        assertFalse(outcome.out().contains("tok-123"));
    }

    @Test
    void aMisspelledKeyExitsTwoNamingTheKey(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n  data-platform:lables: {team: data}\n");
        var outcome = plan("plan", "--stack", "dev", "--json", "--cwd", dir.toString());

        assertEquals(Cli.INVALID, outcome.code());
        assertEquals("", outcome.out(), "nothing on stdout: no half plan");
        assertTrue(outcome.err().contains("Pulumi.dev.yaml: data-platform:lables: unknown key (did you mean 'labels'?)"),
                outcome.err());
    }

    @Test
    void aMissingStackFileOrProjectExitsTwo(@TempDir Path dir) throws IOException {
        var noProject = plan("plan", "--stack", "dev", "--cwd", dir.toString());
        assertEquals(Cli.INVALID, noProject.code());
        assertTrue(noProject.err().contains("Pulumi.yaml: (file): not found"), noProject.err());

        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        var noStack = plan("plan", "--stack", "qa", "--cwd", dir.toString());
        assertEquals(Cli.INVALID, noStack.code());
        assertTrue(noStack.err().contains("Pulumi.qa.yaml: (file): not found"), noStack.err());
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(Cli.INVALID, plan("plan").code(), "--stack is required");
        assertEquals(Cli.INVALID, plan("plan", "--stack", "dev", "--colour").code());
        assertEquals(Cli.INVALID, plan("deploy").code());
    }

    @Test
    void aFailingProgramExitsThree(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        var outcome = plan((ctx, config) -> {
            throw new IllegalStateException("boom");
        }, "plan", "--stack", "dev", "--cwd", dir.toString());
        assertEquals(Cli.PROGRAM_FAILED, outcome.code());
        assertTrue(outcome.err().contains("boom"), outcome.err());
        assertFalse(outcome.err().contains("\tat ") || outcome.err().contains("\n\tat"), "no stack trace: " + outcome.err());
        assertTrue(outcome.err().lines().count() <= 3, "one line per failure and the debug hint: " + outcome.err());
        assertEquals("", outcome.out());
    }

    @Test
    void anEngineTraceIsShownAsItsExceptionLine() {
        String trace = "Running program [PID: 1](/usr/bin/java -cp x dev.dataplatform.Main plan) failed with an unhandled exception:\n"
                + "java.lang.IllegalArgumentException: database name '0' is not valid\n\tat dev.dataplatform.access.Names.x(Names.java:20)\n";
        assertEquals("java.lang.IllegalArgumentException: database name '0' is not valid", Cli.oneLine(trace));
        assertEquals("connect to https://u:[secret]@h failed", Cli.oneLine("connect to https://u:pw@h failed"));
    }

    static Outcome throughPicocli(BiConsumer<Context, PlatformConfig> program, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Cli.runCommandLine(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), program);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDirectPathAndPicocliPrintTheSameForEveryOutcome(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        project(dir, "typo", "config:\n  data-platform:environment: dev\n  data-platform:lables: {}\n");
        BiConsumer<Context, PlatformConfig> failing = (ctx, config) -> {
            throw new IllegalStateException("boom");
        };
        BiConsumer<Context, PlatformConfig> unprotected = (ctx, config) -> new Bucket("raw",
                BucketArgs.builder().location("EU").build());
        String cwd = dir.toString();
        var cases = java.util.List.of(
                new Object[]{PlatformProgram.class, new String[]{"plan", "--stack", "dev", "--json", "--cwd", cwd}},
                new Object[]{PlatformProgram.class, new String[]{"plan", "--cwd=" + cwd, "--stack=dev"}},
                new Object[]{PlatformProgram.class, new String[]{"plan", "--stack", "typo", "--cwd", cwd}},
                new Object[]{PlatformProgram.class, new String[]{"plan", "--stack", "qa", "--cwd", cwd}},
                new Object[]{failing, new String[]{"plan", "--stack", "dev", "--cwd", cwd}},
                // The conformance directory looked up (found or not, both paths answer alike).
                new Object[]{PlatformProgram.class, new String[]{"plan", "--stack", "dev", "--cwd", cwd, "--schemas"}},
                new Object[]{PlatformProgram.class, new String[]{"plan", "--stack", "dev", "--schemas", "--json", "--cwd", cwd}});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            BiConsumer<Context, PlatformConfig> program = c[0] instanceof BiConsumer<?, ?> given
                    ? (BiConsumer<Context, PlatformConfig>) given : PlatformProgram::declare;
            String[] args = (String[]) c[1];
            assertTrue(PlanArguments.parse(args).isPresent(), String.join(" ", args));
            var direct = plan(program, args);
            var picocli = throughPicocli(program, args);
            assertEquals(picocli, direct, String.join(" ", args));
        }
        // A guardrail error (exit 1): same code and findings on both paths.
        var stage = project(dir, "stage", "config:\n  data-platform:environment: stage\n");
        String[] args = {"plan", "--stack", "stage", "--json", "--cwd", stage.toString()};
        var direct = plan(unprotected, args);
        var picocli = throughPicocli(unprotected, args);
        assertEquals(Cli.GUARDRAIL_ERROR, direct.code());
        assertEquals(picocli, direct);
    }

    @Test
    void onlyPlainlyWellFormedPlanArgumentsSkipPicocli() {
        var plain = PlanArguments.parse(new String[]{"plan", "--json", "--stack", "org/dev", "--cwd", "/tmp/x"}).orElseThrow();
        assertEquals(new PlanArguments("org/dev", true, Path.of("/tmp/x"), null, null), plain);
        assertEquals(new PlanArguments("dev", false, Path.of("."), Path.of("base.json"), null),
                PlanArguments.parse(new String[]{"plan", "--stack", "dev", "--diff=base.json"}).orElseThrow());
        assertEquals(new PlanArguments("dev", false, Path.of("."), null, null),
                PlanArguments.parse(new String[]{"plan", "--stack", "dev"}).orElseThrow());
        assertEquals(new PlanArguments("stage", false, Path.of("."), null, Path.of("../shared/conformance")),
                PlanArguments.parse(new String[]{"plan", "--stack", "stage", "--schemas", "../shared/conformance"}).orElseThrow());
        assertEquals(new PlanArguments("stage", true, Path.of("."), null, Path.of("/c")),
                PlanArguments.parse(new String[]{"plan", "--schemas=/c", "--json", "--stack", "stage"}).orElseThrow());
        assertEquals(new PlanArguments("prod", false, Path.of("/p"), Path.of("b.json"), Path.of("/c")),
                PlanArguments.parse(new String[]{"plan", "--stack", "prod", "--cwd", "/p", "--diff", "b.json", "--schemas", "/c"}).orElseThrow());
        // --schemas without a directory: the conformance directory is looked up when the plan runs.
        assertEquals(new PlanArguments("dev", false, Path.of("."), null, null, true),
                PlanArguments.parse(new String[]{"plan", "--stack", "dev", "--schemas"}).orElseThrow());
        assertEquals(new PlanArguments("dev", true, Path.of("."), null, null, true),
                PlanArguments.parse(new String[]{"plan", "--stack", "dev", "--schemas", "--json"}).orElseThrow());
        for (String[] other : new String[][]{
                {"plan"}, {"plan", "--stack"}, {"plan", "--help"}, {"plan", "--stack", "dev", "--help"},
                {"plan", "--stack", "dev", "--stack", "prod"}, {"plan", "--stack", "dev", "--json", "--json"},
                {"plan", "--stack", "--json"}, {"plan", "--stack", "dev", "--colour"}, {"plan", "--stack", "dev", "--cwd"},
                {"plan", "--stack", "dev", "--json=true"}, {"plan", "--stack", "dev", "extra"}, {"deploy", "--stack", "dev"},
                {"--stack", "dev", "plan"}, {"plan", "-h", "--stack", "dev"}, {"plan", "--stack", "dev", "--cwd", "--json"},
                {"plan", "--stack", "dev", "--diff"}, {"plan", "--stack", "dev", "--diff", "a", "--diff", "b"},
                {"plan", "--stack", "dev", "--schemas", "a", "--schemas", "b"}, {"plan", "--stack", "dev", "--schemas", "--schemas"},
                {"plan", "--stack", "dev", "--schemas", "a", "--schemas"}, {"plan", "--stack", "dev", "--schemas", "--schemas", "a"},
                {"plan", "--stack", "dev", "--schemas", "-x"}}) {
            assertTrue(PlanArguments.parse(other).isEmpty(), String.join(" ", other));
        }
    }

    @Test
    void helpAndUsageErrorsStillComeFromPicocli() {
        var help = plan("plan", "--help");
        assertEquals(Cli.OK, help.code());
        assertTrue(help.out().contains("--stack=<stack>"), help.out());
        var missing = plan("plan", "--stack", "dev", "--stack", "prod");
        assertEquals(Cli.INVALID, missing.code());
        assertFalse(missing.err().isBlank());
    }

    @Test
    void noCommandIsAUsageErrorAndVersionAndHelpAnswer() {
        var none = plan(new String[0]);
        assertEquals(Cli.INVALID, none.code());
        assertTrue(none.err().contains("no command given") && none.err().contains("Usage: data-platform"), none.err());

        var version = plan("--version");
        assertEquals(Cli.OK, version.code());
        assertTrue(version.out().matches("data-platform \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), version.out());

        var help = plan("help", "plan");
        assertEquals(Cli.OK, help.code());
        assertTrue(help.out().contains("--diff=BASE.json"), help.out());
    }

    @Test
    void theStackNameAndDirectoryAreCheckedAndExistingStacksListed(@TempDir Path dir) throws IOException {
        for (String bad : new String[]{"../Pulumi", "", "a b", "dev/../../x", "-rf", "x".repeat(101), "dev\u001b[2J"}) {
            var outcome = plan("plan", "--stack", bad, "--cwd", dir.toString());
            assertEquals(Cli.INVALID, outcome.code(), bad);
            assertTrue(outcome.err().contains("is not a stack name") || outcome.err().contains("Missing required")
                    || outcome.err().contains("Unknown option"), bad + ": " + outcome.err());
            assertFalse(outcome.err().contains("\u001b"), "no terminal escape echoed");
        }
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        Files.writeString(dir.resolve("Pulumi.prod-eu.yaml"), "config: {}\n");
        var unknown = plan("plan", "--stack", "qa", "--cwd", dir.toString());
        assertEquals(Cli.INVALID, unknown.code());
        assertTrue(unknown.err().contains("existing stacks: dev, prod-eu"), unknown.err());

        var missingDir = plan("plan", "--stack", "dev", "--cwd", dir.resolve("nope").toString());
        assertEquals(Cli.INVALID, missingDir.code());
        assertTrue(missingDir.err().contains("--cwd: directory " + dir.resolve("nope") + " does not exist"), missingDir.err());
    }

    @Test
    void aProjectNameThatIsNotOneIsRefused(@TempDir Path dir) throws IOException {
        project(dir, "dev", "config:\n  data-platform:environment: dev\n");
        Files.writeString(dir.resolve("Pulumi.yaml"), "name: ../../evil\nruntime: java\n");
        var outcome = plan("plan", "--stack", "dev", "--cwd", dir.toString());
        assertEquals(Cli.INVALID, outcome.code());
        assertTrue(outcome.err().contains("Pulumi.yaml: name: '../../evil' is not a project name"), outcome.err());
    }

    @Test
    void everyPlanEndsWithASummaryLine() {
        var outcome = plan("plan", "--stack", "dev", "--cwd", "..");
        assertEquals(Cli.OK, outcome.code(), outcome.err());
        assertTrue(outcome.out().matches("(?s).*\\nPlan: \\d+ to create \\(no base given.*"), outcome.out());
        assertFalse(outcome.out().contains("[aliased]"), "type aliases the SDKs add are not flagged on a new stack");
    }
}
