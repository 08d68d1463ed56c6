package dev.dataplatform.plan;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged program jar, started the way Pulumi.yaml and CI start it: `java -jar ... plan`.
 * Runs in the integration-test phase, after `package`.
 */
class PlanJarIT {
    static final Path JAR = Path.of(System.getProperty("dataplatform.jar", "target/data-platform.jar"));
    static final Path ROOT = Path.of(System.getProperty("dataplatform.root", ".."));

    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) throws IOException, InterruptedException {
        return run(java.util.Map.of(), args);
    }

    private static final java.util.Map<List<String>, Outcome> RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The same plain run, made once for the class (two tests compare the same plans of the committed stacks). */
    static Outcome once(String... args) throws IOException, InterruptedException {
        var key = List.of(args);
        var outcome = RUNS.get(key);
        if (outcome == null) {
            outcome = run(args);
            RUNS.put(key, outcome);
        }
        return outcome;
    }

    static Outcome run(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("plan", ".out");
        Path err = Files.createTempFile("plan", ".err");
        var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        var process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "plan did not finish in 120 s");
        return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theJarPrintsTheJsonPlanOfEachStack(String stack) throws Exception {
        var outcome = once("plan", "--stack", stack, "--json", "--cwd", ROOT.toString());
        assertEquals(0, outcome.code(), outcome.err());
        JsonObject plan = JsonParser.parseString(outcome.out()).getAsJsonObject();
        assertEquals("data-platform", plan.get("project").getAsString());
        assertEquals(stack, plan.get("stack").getAsString());
        assertTrue(plan.get("resources").isJsonArray());
        assertTrue(plan.get("outputs").isJsonObject());
        assertTrue(plan.get("findings").isJsonArray());
        for (var element : plan.getAsJsonArray("resources")) {
            var resource = element.getAsJsonObject();
            for (String key : List.of("urn", "type", "name", "parent", "custom", "inputs", "options")) {
                assertTrue(resource.has(key), "resource lacks '" + key + "': " + resource);
            }
        }
    }

    @Test
    void aMisspelledKeyExitsTwoNamingTheKey(@TempDir Path dir) throws Exception {
        Files.copy(ROOT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        String dev = Files.readString(ROOT.resolve("Pulumi.dev.yaml"))
                .replace("data-platform:environment:", "data-platform:environmnet:");
        Files.writeString(dir.resolve("Pulumi.dev.yaml"), dev);

        var outcome = run("plan", "--stack", "dev", "--json", "--cwd", dir.toString());

        assertEquals(2, outcome.code(), outcome.out() + outcome.err());
        assertTrue(outcome.err().contains("Pulumi.dev.yaml: data-platform:environmnet: unknown key (did you mean 'environment'?)"),
                outcome.err());
    }

    @Test
    void theBuildLeavesAClassDataArchiveNextToTheJar() {
        assertTrue(Files.isRegularFile(JAR.resolveSibling("data-platform.jsa")), "no class-data archive: fast start is off");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void fastStartAndInProcessPrintTheSamePlan(String stack) throws Exception {
        var fast = once("plan", "--stack", stack, "--json", "--cwd", ROOT.toString());
        var inProcess = run(java.util.Map.of("DATAPLATFORM_FAST_START", "off"), "plan", "--stack", stack, "--json", "--cwd", ROOT.toString());
        assertEquals(0, fast.code(), fast.err());
        assertEquals(0, inProcess.code(), inProcess.err());
        assertEquals(inProcess.out(), fast.out());
        assertEquals("", fast.err(), "the child JVM prints nothing extra");
    }

    @Test
    void humanOutputWithoutJson() throws Exception {
        var outcome = run("plan", "--stack", "dev", "--cwd", ROOT.toString());
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().startsWith("Plan of data-platform/dev (environment dev, offline preview)"), outcome.out());
    }

    @Test
    void operationsWithoutThePulumiCliExitFourAndSayHowToInstallIt(@TempDir Path emptyPath) throws Exception {
        var outcome = run(java.util.Map.of("PATH", emptyPath.toString(), "PULUMI_HOME", emptyPath.toString()),
                "preview", "--stack", "dev", "--cwd", ROOT.toString());
        assertEquals(Cli.PULUMI_CLI_MISSING, outcome.code(), outcome.err());
        assertTrue(outcome.err().contains("error: the Pulumi CLI is not installed"), outcome.err());
        assertEquals("", outcome.out());
    }

    @Test
    void theJarValidatesTheStagePlanAgainstTheRealSchemasQuietly() throws Exception {
        Path conformance = dev.dataplatform.testing.Conformance.require("crds").getParent();
        // --schemas without a directory finds them through the lookup, here the environment variable (CliTest
        // and SchemaCatalogTest run --schemas DIR).
        var outcome = run(java.util.Map.of("DATAPLATFORM_CONFORMANCE_DIR", conformance.toString()),
                "plan", "--stack", "stage", "--json", "--cwd", ROOT.toString(), "--schemas");
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals("", outcome.err(), "nothing on stderr (no logging notice from the validator)");
        for (var finding : JsonParser.parseString(outcome.out()).getAsJsonObject().getAsJsonArray("findings")) {
            assertTrue(!finding.getAsJsonObject().get("rule").getAsString().startsWith("schema"), finding.toString());
        }
    }

    @Test
    void theJarWithSchemasButNoConformanceFilesExitsTwoNamingFetchSh(@TempDir Path dir) throws Exception {
        var outcome = run(java.util.Map.of("DATAPLATFORM_CONFORMANCE_DIR", dir.resolve("absent").toString()),
                "plan", "--stack", "dev", "--cwd", ROOT.toString(), "--schemas");
        assertEquals(2, outcome.code(), outcome.err());
        assertEquals("", outcome.out());
        var lines = outcome.err().lines().toList();
        assertEquals(1, lines.size(), outcome.err());
        assertTrue(lines.get(0).startsWith("error: --schemas: no conformance files in " + dir.resolve("absent"))
                && lines.get(0).contains("sh conformance/fetch.sh"), lines.get(0));
        assertTrue(!outcome.err().contains("Exception") && !outcome.err().contains("\tat "), outcome.err());

        // The directory found is the one read: an empty one holds no schema (a usage error too).
        Path empty = Files.createDirectory(dir.resolve("empty"));
        var nothing = run(java.util.Map.of("DATAPLATFORM_CONFORMANCE_DIR", empty.toString()),
                "plan", "--stack", "dev", "--cwd", ROOT.toString(), "--schemas");
        assertEquals(2, nothing.code(), nothing.err());
        assertTrue(nothing.err().contains(empty.toString()) && nothing.err().contains("holds no CustomResourceDefinition"), nothing.err());
    }
}
