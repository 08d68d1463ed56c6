package dev.dataplatform.program;

import dev.dataplatform.guardrails.Guardrails;
import dev.dataplatform.plan.Plan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repository's own stacks plan cleanly: no failure, no guardrail error. */
class StacksTest {
    static final Path ROOT = Path.of("..");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theStackPlansWithoutGuardrailErrors(String stack) {
        var plan = Plan.run(ROOT, stack);
        assertTrue(plan.recording().succeeded(), () -> plan.recording().exceptions() + " " + plan.recording().engineErrors());
        assertFalse(Guardrails.hasErrors(plan.findings()), () -> plan.findings().toString());
        assertEquals(stack, plan.recording().outputs().get("environment"));
        assertEquals(stack, plan.config().environment().id());
    }
}
