package dev.dataplatform.guardrails;

/**
 * One guardrail violation.
 *
 * @param rule     the rule's ID, e.g. {@code stateful-protected}
 * @param resource the URN of the offending resource (or of the stack for plan-wide findings)
 * @param path     the field path inside the resource's inputs the finding is about (e.g.
 *                 {@code spec.instances}), or null when it is about the resource as a whole
 */
public record Finding(String rule, Severity severity, String resource, String message, String path) {
    public Finding(String rule, Severity severity, String resource, String message) {
        this(rule, severity, resource, message, null);
    }
}
