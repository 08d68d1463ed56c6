package dev.dataplatform.automation;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The automation API over a mocked engine: operations, progress, guards, outputs, onboarding. */
class PlatformTest {
    static final Path ROOT = Path.of("..");
    static final PulumiEngine.Changes TWO_CREATES = new PulumiEngine.Changes(Map.of("create", 2, "same", 40));

    @TempDir
    Path project;
    PulumiEngine engine;
    List<PulumiEngine.Progress> progress;
    Platform platform;

    @BeforeEach
    void setUp() throws IOException {
        for (String file : List.of("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml", "Pulumi.prod.yaml",
                "Pulumi.stage-tenants-01.yaml", "Pulumi.prod-tenants-01.yaml")) {
            Files.copy(ROOT.resolve(file), project.resolve(file));
        }
        engine = mock(PulumiEngine.class);
        progress = new ArrayList<>();
        platform = new Platform(project, engine, progress::add);
    }

    /** The engine reports one resource step, then returns {@code changes}. */
    @SuppressWarnings("unchecked")
    static org.mockito.stubbing.Answer<PulumiEngine.Changes> reporting(PulumiEngine.Changes changes) {
        return invocation -> {
            Consumer<PulumiEngine.Progress> sink = invocation.getArgument(1);
            sink.accept(new PulumiEngine.Progress(PulumiEngine.Progress.Kind.RESOURCE, "create",
                    "urn:pulumi:stage::data-platform::dataplatform:kubernetes:StackGresTenant$kubernetes:stackgres.io/v1:SGCluster::initech-cluster",
                    "kubernetes:stackgres.io/v1:SGCluster", null));
            return changes;
        };
    }

    @Test
    void previewAndUpStreamTheEnginesProgress() {
        doAnswer(reporting(TWO_CREATES)).when(engine).preview(eq("stage"), any());
        doAnswer(reporting(TWO_CREATES)).when(engine).up(eq("stage"), any());
        assertEquals(2, platform.preview("stage").count("create"));
        assertTrue(platform.up("stage").any());
        assertEquals(2, progress.size());
        assertEquals("initech-cluster", progress.get(0).name());
    }

    @Test
    void secretsAreSetEncryptedAndKeysMustBeNamespaced() {
        platform.setSecret("prod", "data-platform:cloudSql.adminPassword", "s3cr3t");
        verify(engine).setConfig("prod", "data-platform:cloudSql.adminPassword", "s3cr3t", true);
        platform.setConfig("dev", "data-platform:labels.team", "data");
        verify(engine).setConfig("dev", "data-platform:labels.team", "data", false);
        var error = assertThrows(PlatformException.class, () -> platform.setSecret("prod", "adminPassword", "x"));
        assertEquals(PlatformException.Kind.INVALID, error.kind());
        assertTrue(error.getMessage().contains("is not namespaced"));
    }

    @Test
    void destroyingStageOrProdIsRefusedUnlessForced() {
        for (String stack : List.of("stage", "prod")) {
            var error = assertThrows(PlatformException.class, () -> platform.destroy(stack, false));
            assertEquals(PlatformException.Kind.REFUSED, error.kind());
            assertTrue(error.getMessage().contains("environment " + stack + " holds durable data"), error.getMessage());
        }
        verify(engine, never()).destroy(anyString(), any());

        when(engine.destroy(eq("prod"), any())).thenReturn(new PulumiEngine.Changes(Map.of("delete", 3)));
        assertEquals(3, platform.destroy("prod", true).count("delete"));
        when(engine.destroy(eq("dev"), any())).thenReturn(new PulumiEngine.Changes(Map.of("delete", 5)));
        assertEquals(5, platform.destroy("dev", false).count("delete"), "dev is disposable");
    }

    @Test
    void aStackWhoseEnvironmentCannotBeReadIsTreatedAsProtected() throws IOException {
        Files.writeString(project.resolve("Pulumi.scratch.yaml"), "config:\n  data-platform:environment: qa\n");
        var error = assertThrows(PlatformException.class, () -> platform.destroy("scratch", false));
        assertEquals(PlatformException.Kind.REFUSED, error.kind());
        assertTrue(error.getMessage().contains("cannot be read from Pulumi.scratch.yaml"), error.getMessage());
        verify(engine, never()).destroy(anyString(), any());
    }

    @Test
    void outputsAreTypedAndSecretsStayMasked() {
        when(engine.outputs("prod", false)).thenReturn(Map.of(
                "environment", new PulumiEngine.Output("prod", false),
                "dagsterWebserver", new PulumiEngine.Output("http://dagster-dagster-webserver.data-apps.svc.cluster.local:80", false),
                "rdsMasterSecretArn", new PulumiEngine.Output("[secret]", true),
                "tenants", new PulumiEngine.Output(Map.of("globex", Map.of("namespace", "tenant-globex", "clusterName", "globex",
                        "host", "globex.tenant-globex.svc.cluster.local", "port", 5432.0, "ssmParameter", "/globex/prod/database/url",
                        "secretName", "globex-database-url", "secretNamespace", "globex")), false)));
        var outputs = platform.outputs("prod");
        assertEquals("prod", outputs.environment());
        assertEquals("http://dagster-dagster-webserver.data-apps.svc.cluster.local:80", outputs.dagsterWebserver().orElseThrow());
        assertTrue(outputs.otlpGrpcEndpoint().isEmpty());
        var globex = outputs.tenants().get("globex");
        assertEquals(5432, globex.port());
        assertEquals("/globex/prod/database/url", globex.ssmParameter());
        assertEquals(java.util.Set.of("rdsMasterSecretArn"), outputs.secretOutputs());
    }

    @Test
    void onboardingAddsTheClientChecksItOfflineThenPreviews() throws IOException {
        doAnswer(reporting(TWO_CREATES)).when(engine).preview(eq("stage-tenants-01"), any());
        String before = Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml"));

        var result = platform.onboardTenant("stage-tenants-01", new TenantOnboarding.Client("initech", "initech-apps", List.of("postgis")), false);

        String after = Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml"));
        assertTrue(after.contains("      - name: initech\n        appNamespace: initech-apps\n        extensions: [postgis]\n"), after);
        assertTrue(after.contains("# A tenant shard of stage"), "comments are kept");
        assertEquals(before.lines().count() + 3, after.lines().count());
        assertFalse(result.applied());
        assertEquals(2, result.changes().count("create"));
        assertTrue(result.findings().stream().noneMatch(f -> f.severity() == dev.dataplatform.guardrails.Severity.ERROR));
        verify(engine).preview(eq("stage-tenants-01"), any());
        verify(engine, never()).up(anyString(), any());

        // The platform stack of an environment with shards takes no client: the shards hold them.
        String platformFile = Files.readString(project.resolve("Pulumi.stage.yaml"));
        var refused = assertThrows(PlatformException.class,
                () -> platform.onboardTenant("stage", new TenantOnboarding.Client("hooli", null, List.of()), false));
        assertTrue(refused.getMessage().startsWith("Pulumi.stage.yaml: data-platform:tenants.clients: stack stage has tenant shards "
                + "(stage-tenants-01); allowed: --env stage"), refused.getMessage());
        assertEquals(platformFile, Files.readString(project.resolve("Pulumi.stage.yaml")));
    }

    @Test
    void onboardingWithApplyUpdatesTheStack() {
        when(engine.up(eq("prod-tenants-01"), any())).thenReturn(TWO_CREATES);
        var result = platform.onboardTenant("prod-tenants-01", new TenantOnboarding.Client("initech", null, List.of()), true);
        assertTrue(result.applied());
        verify(engine).up(eq("prod-tenants-01"), any());
        verify(engine, never()).preview(anyString(), any());
    }

    @Test
    void aClientThatBreaksTheConfigLeavesTheStackFileAsItWasAndNeverReachesTheEngine() throws IOException {
        Path file = project.resolve("Pulumi.stage-tenants-01.yaml");
        String broken = Files.readString(file).replace("        extensions: [postgis]\n", "        extensions: [postgis, no_such_extension]\n");
        Files.writeString(file, broken);
        var error = assertThrows(PlatformException.class,
                () -> platform.onboardTenant("stage-tenants-01", new TenantOnboarding.Client("initech", null, List.of()), true));
        assertEquals(PlatformException.Kind.INVALID, error.kind());
        assertTrue(error.getMessage().contains("Pulumi.stage-tenants-01.yaml: data-platform:tenants.clients[0].extensions"), error.getMessage());
        assertEquals(broken, Files.readString(file));
        verifyNoInteractions(engine);
    }

    @Test
    void badOrDuplicateClientsAreRefusedBeforeTheFileChanges() throws IOException {
        String before = Files.readString(project.resolve("Pulumi.stage.yaml"));
        String shardBefore = Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml"));
        var bad = assertThrows(PlatformException.class, () -> new TenantOnboarding.Client("Initech Corp", null, List.of()));
        assertTrue(bad.getMessage().contains("is not a DNS-1123 label"), bad.getMessage());
        var duplicate = assertThrows(PlatformException.class,
                () -> platform.onboardTenant("stage-tenants-01", new TenantOnboarding.Client("globex", null, List.of()), false));
        assertTrue(duplicate.getMessage().contains("client 'globex' is already in data-platform:tenants.clients"));
        var noTenants = assertThrows(PlatformException.class,
                () -> platform.onboardTenant("dev", new TenantOnboarding.Client("initech", null, List.of()), false));
        assertTrue(noTenants.getMessage().contains("Pulumi.dev.yaml: has no data-platform:tenants"), noTenants.getMessage());
        assertEquals(before, Files.readString(project.resolve("Pulumi.stage.yaml")));
        assertEquals(shardBefore, Files.readString(project.resolve("Pulumi.stage-tenants-01.yaml")));
        verifyNoInteractions(engine);
    }

    @Test
    void engineFailuresReachTheCallerWithTheirKind() {
        when(engine.up(eq("stage"), any())).thenThrow(new PlatformException(PlatformException.Kind.CONFLICT, "busy"));
        assertEquals(PlatformException.Kind.CONFLICT, assertThrows(PlatformException.class, () -> platform.up("stage")).kind());
        when(engine.preview(eq("prod"), any())).thenThrow(new PlatformException(PlatformException.Kind.UPDATE_FAILED, "boom"));
        assertEquals(PlatformException.Kind.UPDATE_FAILED,
                assertThrows(PlatformException.class, () -> platform.preview("prod")).kind());
    }
}
