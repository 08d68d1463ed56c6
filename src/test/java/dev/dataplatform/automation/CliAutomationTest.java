package dev.dataplatform.automation;

import com.google.gson.JsonParser;
import dev.dataplatform.plan.Cli;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The operations' command line over a mocked engine: output, --json, exit codes, messages. */
class CliAutomationTest {
    record Outcome(int code, String out, String err) {
    }

    @TempDir
    Path project;
    PulumiEngine engine;

    @BeforeEach
    void setUp() throws IOException {
        for (String file : List.of("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml", "Pulumi.prod.yaml",
                "Pulumi.stage-tenants-01.yaml", "Pulumi.prod-tenants-01.yaml")) {
            Files.copy(Path.of("..").resolve(file), project.resolve(file));
        }
        engine = mock(PulumiEngine.class);
    }

    Outcome run(String... args) {
        return run(dir -> engine, args);
    }

    Outcome run(java.util.function.Function<Path, PulumiEngine> engines, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--cwd", project.toString()));
        int code = Cli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), engines);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void previewPrintsOneLinePerResourceAndASummary() {
        doAnswer(invocation -> {
            Consumer<PulumiEngine.Progress> progress = invocation.getArgument(1);
            progress.accept(new PulumiEngine.Progress(PulumiEngine.Progress.Kind.RESOURCE, "create",
                    "urn:pulumi:stage::data-platform::kubernetes:stackgres.io/v1:SGCluster::globex-cluster",
                    "kubernetes:stackgres.io/v1:SGCluster", null));
            progress.accept(new PulumiEngine.Progress(PulumiEngine.Progress.Kind.DIAGNOSTIC, "warning", null, null,
                    "a deprecated field"));
            return new PulumiEngine.Changes(Map.of("create", 1, "same", 80));
        }).when(engine).preview(eq("stage"), any());
        var outcome = run("preview", "--stack", "stage");
        assertEquals(Cli.OK, outcome.code(), outcome.err());
        assertEquals("""
                + create    kubernetes:stackgres.io/v1:SGCluster  globex-cluster
                warning: a deprecated field
                preview of stage: 1 create, 80 same
                """, outcome.out());
    }

    @Test
    void jsonKeepsStdoutForOneDocument() {
        when(engine.up(eq("dev"), any())).thenReturn(new PulumiEngine.Changes(Map.of("update", 2)));
        var outcome = run("up", "--stack", "dev", "--json");
        assertEquals(Cli.OK, outcome.code());
        var json = JsonParser.parseString(outcome.out()).getAsJsonObject();
        assertEquals("up", json.get("operation").getAsString());
        assertEquals(2, json.getAsJsonObject("changes").get("update").getAsInt());
    }

    @Test
    void outputsMaskSecrets() {
        when(engine.outputs("prod", false)).thenReturn(Map.of("environment", new PulumiEngine.Output("prod", false),
                "rdsMasterSecretArn", new PulumiEngine.Output("[secret]", true)));
        var outcome = run("outputs", "--stack", "prod", "--json");
        var json = JsonParser.parseString(outcome.out()).getAsJsonObject();
        assertEquals("prod", json.get("environment").getAsString());
        assertEquals("[secret]", json.get("rdsMasterSecretArn").getAsString());
    }

    @Test
    void withoutThePulumiCliTheCommandSaysSoAndExitsFour() {
        var outcome = run(dir -> {
            throw new PlatformException(PlatformException.Kind.CLI_MISSING, "the Pulumi CLI is not installed");
        }, "preview", "--stack", "dev");
        assertEquals(Cli.PULUMI_CLI_MISSING, outcome.code());
        assertTrue(outcome.err().contains("error: the Pulumi CLI is not installed"), outcome.err());
    }

    @Test
    void failedUpdatesConflictsAndMissingStacksHaveTheirOwnExitCodes() {
        when(engine.up(eq("stage"), any())).thenThrow(new PlatformException(PlatformException.Kind.UPDATE_FAILED, "could not update stage: x"));
        assertEquals(Cli.PROGRAM_FAILED, run("up", "--stack", "stage").code());
        when(engine.up(eq("prod"), any())).thenThrow(new PlatformException(PlatformException.Kind.CONFLICT, "another update"));
        var conflict = run("up", "--stack", "prod");
        assertEquals(Cli.CONFLICT, conflict.code());
        assertTrue(conflict.err().contains("another update"));
        when(engine.preview(eq("qa"), any())).thenThrow(new PlatformException(PlatformException.Kind.STACK_NOT_FOUND, "no stack"));
        assertEquals(Cli.INVALID, run("preview", "--stack", "qa").code());
    }

    @Test
    void destroyOfProdNeedsForce() {
        var refused = run("destroy", "--stack", "prod");
        assertEquals(Cli.REFUSED, refused.code());
        assertTrue(refused.err().contains("refusing to destroy stack 'prod'"), refused.err());
        verify(engine, never()).destroy(anyString(), any());
        when(engine.destroy(eq("prod"), any())).thenReturn(new PulumiEngine.Changes(Map.of("delete", 1)));
        assertEquals(Cli.OK, run("destroy", "--stack", "prod", "--force").code());
    }

    @Test
    void tenantsAddOnboardsAndBadNamesExitTwo() throws IOException {
        when(engine.preview(eq("stage-tenants-01"), any())).thenReturn(new PulumiEngine.Changes(Map.of("create", 27)));
        var added = run("tenants", "add", "--stack", "stage-tenants-01", "--name", "initech", "--extension", "postgis");
        assertEquals(Cli.OK, added.code(), added.err());
        assertTrue(added.out().contains("client initech added to Pulumi.stage-tenants-01.yaml and checked offline; preview: 27 create"), added.out());
        assertTrue(Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml")).contains("- name: initech"));
        // The platform stack of an environment with shards takes no client: the shards hold them.
        String platform = Files.readString(project.resolve("Pulumi.stage.yaml"));
        var onPlatform = run("tenants", "add", "--stack", "stage", "--name", "hooli");
        assertEquals(Cli.INVALID, onPlatform.code());
        assertTrue(onPlatform.err().contains("Pulumi.stage.yaml: data-platform:tenants.clients: stack stage has tenant shards "
                + "(stage-tenants-01); allowed: --env stage"), onPlatform.err());
        assertEquals(platform, Files.readString(project.resolve("Pulumi.stage.yaml")));
        var bad = run("tenants", "add", "--stack", "stage-tenants-01", "--name", "Initech!");
        assertEquals(Cli.INVALID, bad.code());
        assertTrue(bad.err().contains("is not a DNS-1123 label"), bad.err());
    }

    @Test
    void tenantsAddNoApplyEditsAndChecksOfflineWithoutThePulumiCli() throws IOException {
        java.util.function.Function<Path, PulumiEngine> noCli = dir -> {
            throw new PlatformException(PlatformException.Kind.CLI_MISSING, "pulumi not found");
        };
        var added = run(noCli, "tenants", "add", "--stack", "stage-tenants-01", "--name", "initech", "--no-apply");
        assertEquals(Cli.OK, added.code(), added.err());
        assertTrue(added.out().contains("client initech added to Pulumi.stage-tenants-01.yaml (the only file changed) and checked offline"), added.out());
        assertTrue(Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml")).contains("- name: initech"));

        String before = Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml"));
        var bad = run(noCli, "tenants", "add", "--stack", "stage-tenants-01", "--name", "Initech!", "--no-apply");
        assertEquals(Cli.INVALID, bad.code());
        assertTrue(bad.err().contains("is not a DNS-1123 label"), "the name is checked before the CLI is looked for: " + bad.err());
        assertEquals(before, Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml")), "a refused client leaves the file as it was");
        assertEquals(Cli.INVALID, run(noCli, "tenants", "add", "--stack", "stage-tenants-01", "--name", "x1", "--no-apply", "--apply").code());
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertEquals(Cli.INVALID, run("preview").code());
        assertEquals(Cli.INVALID, run("tenants", "add", "--stack", "stage").code());
    }
}
