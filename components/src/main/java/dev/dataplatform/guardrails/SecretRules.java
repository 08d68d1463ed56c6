package dev.dataplatform.guardrails;

import dev.dataplatform.engine.Masking;
import dev.dataplatform.engine.PlannedResource;

import java.util.ArrayList;

/**
 * No secret may reach state, the plan or an export in plain text. What counts as one is
 * {@link Masking}'s (the plan masks the same values before printing); the findings name the input
 * path only, never the value.
 */
final class SecretRules {
    private SecretRules() {
    }

    static Rule noPlaintextSecrets() {
        return new Rule("no-plaintext-secrets",
                "No secret in plain text in any resource input or stack output.",
                plan -> {
                    var findings = new ArrayList<Finding>();
                    for (PlannedResource resource : plan.resources()) {
                        Masking.maskPlaintextInputs(resource.type(), resource.inputs(), (path, value) -> findings.add(new Finding(
                                "no-plaintext-secrets", Severity.ERROR, resource.urn(),
                                "input '" + path + "' holds a secret in plain text: pass it as a secret "
                                        + "(Output.ofSecret / secure config) or reference it by name")));
                    }
                    Masking.maskPlaintextOutputs(plan.outputs(), (path, value) -> findings.add(new Finding(
                            "no-plaintext-secrets", Severity.ERROR, plan.stackUrn(),
                            "stack output '" + path + "' holds a secret in plain text: export it with Output.ofSecret")));
                    return findings;
                });
    }
}
