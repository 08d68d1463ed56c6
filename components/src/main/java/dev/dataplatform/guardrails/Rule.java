package dev.dataplatform.guardrails;

import java.util.List;
import java.util.function.Function;

/**
 * A guardrail: a small pure function from the planned resources to findings.
 *
 * @param id          stable ID used in findings and docs (kebab-case)
 * @param description one sentence: what must hold
 */
public record Rule(String id, String description, Function<PlanView, List<Finding>> check) {

    public List<Finding> evaluate(PlanView plan) {
        return check.apply(plan);
    }
}
