package dev.dataplatform.guardrails;

/**
 * One guardrail violation.
 *
 * @param rule     the rule's ID, e.g. {@code stateful-protected}
 * @param resource the URN of the offending resource (or of the stack for plan-wide findings)
 */
public record Finding(String rule, Severity severity, String resource, String message) {
}
