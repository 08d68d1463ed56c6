package dev.dataplatform.automation;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every workflow under .github/workflows validates with action-validator (npm {@code @action-validator/cli}
 * 0.6.0: the SchemaStore github-workflow schema compiled into WebAssembly, no network). It is installed into
 * {@code .ci/action-validator} by {@code .ci/run} and the workflow's build job ({@code npm ci --prefix
 * .ci/action-validator}); without it the test is skipped with that command, and fails under CI=true.
 */
class WorkflowSchemaTest {
    static final Path ROOT = Path.of("..");
    static final Path VALIDATOR = ROOT.resolve(".ci/action-validator/node_modules/.bin/action-validator");
    static final String INSTALL = "npm ci --prefix .ci/action-validator";

    @BeforeAll
    static void validatorInstalled() {
        boolean ci = "true".equals(System.getenv("CI"));
        String missing = !Files.isExecutable(VALIDATOR) ? "action-validator is not installed: run `" + INSTALL + "` (needs Node.js)"
                : node().isEmpty() ? "node is not on PATH: action-validator runs on Node.js" : null;
        if (missing != null) {
            if (ci) {
                fail(missing + " (CI=true: the workflow must be validated)");
            }
            Assumptions.abort(missing);
        }
    }

    static java.util.Optional<Path> node() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "node")).filter(Files::isExecutable).findFirst();
    }

    record Result(int exit, String output) {
    }

    static Result validate(Path workflow) throws IOException, InterruptedException {
        var process = new ProcessBuilder(VALIDATOR.toAbsolutePath().toString(), workflow.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "action-validator finished");
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void everyWorkflowValidates() throws IOException, InterruptedException {
        List<Path> workflows;
        try (var files = Files.list(ROOT.resolve(".github/workflows"))) {
            workflows = files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(workflows.isEmpty());
        for (Path workflow : workflows) {
            var result = validate(workflow);
            assertEquals(0, result.exit(), workflow.getFileName() + ":\n" + result.output());
        }
    }

    @Test
    void theValidatorRejectsAMisspelledEnvironment(@TempDir Path dir) throws IOException, InterruptedException {
        // The same workflow with one key the schema does not know: the validator must say where.
        var text = Files.readString(ROOT.resolve(".github/workflows/preview.yml"));
        assertTrue(text.contains("    environment: preview-"), "the preview job names its environment");
        var broken = dir.resolve("preview.yml");
        Files.writeString(broken, text.replace("    environment: preview-", "    enviroment: preview-"));

        var result = validate(broken);

        assertNotEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("Additional property 'enviroment' is not allowed"), result.output());
    }
}
