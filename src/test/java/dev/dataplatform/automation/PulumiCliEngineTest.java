package dev.dataplatform.automation;

import com.pulumi.automation.CommandResult;
import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.StackNotFoundException;
import com.pulumi.automation.events.DiagnosticEvent;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.ResourcePreEvent;
import com.pulumi.automation.events.StepEventMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter's own logic: finding the CLI, translating events and exceptions. */
class PulumiCliEngineTest {
    @Test
    void theCliIsFoundOnPath(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path pulumi = Files.writeString(bin.resolve("pulumi"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(pulumi, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(pulumi, PulumiCliEngine.requireCli("/nonexistent" + File.pathSeparator + bin, null, null));
    }

    @Test
    void withoutTheCliTheErrorSaysHowToInstallIt(@TempDir Path dir) {
        var error = assertThrows(PlatformException.class, () -> PulumiCliEngine.requireCli(dir.toString(), null, dir.toString()));
        assertEquals(PlatformException.Kind.CLI_MISSING, error.kind());
        assertTrue(error.getMessage().contains("the Pulumi CLI is not installed"));
        assertTrue(error.getMessage().contains("https://www.pulumi.com/docs/iac/download-install/"));
        assertTrue(error.getMessage().contains("plan --stack"), "and points at what works without it");
    }

    @Test
    void sdkExceptionsBecomeKindsWithAdvice() {
        var conflict = PulumiCliEngine.translate("update prod", new ConcurrentUpdateException(new CommandResult(255, "", "conflict")),
                List.of(), List.of());
        assertEquals(PlatformException.Kind.CONFLICT, conflict.kind());
        assertTrue(conflict.getMessage().contains("pulumi cancel"));
        var missing = PulumiCliEngine.translate("select qa", new StackNotFoundException(new CommandResult(255, "", "no stack named 'qa'")),
                List.of(), List.of());
        assertEquals(PlatformException.Kind.STACK_NOT_FOUND, missing.kind());
    }

    @Test
    void aFailureMessageKeepsTheErrorLinesNotTheWholeOutputAndRedactsSecrets() {
        var result = new CommandResult(255, "Updating (dev)\n".repeat(50), "warning: x\nerror: cannot set hunter2: bad key\n");
        var error = PulumiCliEngine.translate("set k on dev", new com.pulumi.automation.CommandException(result), List.of(),
                List.of("hunter2"));
        assertEquals(PlatformException.Kind.UPDATE_FAILED, error.kind());
        assertEquals("could not set k on dev: cannot set [secret]: bad key", error.getMessage());
    }

    @Test
    void outputValuesKeepTheirJsonTypes() {
        var outputs = PulumiCliEngine.outputs("{\"n\": 3, \"f\": 1.5, \"b\": true, \"z\": null, \"l\": [1, \"a\"], "
                + "\"m\": {\"k\": {\"x\": \"[secret]\"}}, \"s\": \"[secret]\"}", null);
        assertEquals(3L, outputs.get("n").value());
        assertEquals(1.5, outputs.get("f").value());
        assertEquals(true, outputs.get("b").value());
        assertEquals(null, outputs.get("z").value());
        assertEquals(List.of(1L, "a"), outputs.get("l").value());
        assertEquals(Map.of("k", Map.of("x", "[secret]")), outputs.get("m").value());
        assertTrue(outputs.get("s").secret());
        assertEquals(Map.of(), PulumiCliEngine.outputs("", null));
    }

    @Test
    void engineEventsBecomeProgress() {
        var metadata = new StepEventMetadata(OperationType.CREATE_REPLACEMENT, "urn:pulumi:prod::data-platform::aws:s3/bucketV2:BucketV2::raw",
                "aws:s3/bucketV2:BucketV2", null, null, List.of(), List.of(), Map.of(), false, "");
        var step = PulumiCliEngine.toProgress(new EngineEvent(1, 0, null, null, null, null, null,
                new ResourcePreEvent(metadata, false), null, null, null)).orElseThrow();
        assertEquals(PulumiEngine.Progress.Kind.RESOURCE, step.kind());
        assertEquals("create-replacement", step.operation());
        assertEquals("raw", step.name());
        var diagnostic = PulumiCliEngine.toProgress(new EngineEvent(2, 0, null, null,
                new DiagnosticEvent(null, "", "  disk almost full\n", "", "warning", "", false), null, null, null, null, null, null))
                .orElseThrow();
        assertEquals("warning", diagnostic.operation());
        assertEquals("disk almost full", diagnostic.message());
        assertEquals(PulumiEngine.Changes.class, PulumiCliEngine.changes(Map.of(OperationType.SAME, 4)).getClass());
        assertEquals(4, PulumiCliEngine.changes(Map.of(OperationType.SAME, 4)).count("same"));
    }
}
