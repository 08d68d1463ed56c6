package dev.dataplatform.guardrails;

import dev.dataplatform.engine.Masking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rule set the offline plan and the tests run over every stack. */
public final class Guardrails {
    private Guardrails() {
    }

    public static List<Rule> defaultRules() {
        var rules = new ArrayList<Rule>(List.of(
                SecretRules.noPlaintextSecrets(),
                StatefulRules.statefulProtected(),
                StatefulRules.explicitDatabaseProvider(),
                StatefulRules.decommission(),
                TenantCredentialRules.isolation(),
                IamRules.leastPrivilege(),
                KubernetesRules.containerResources(),
                KubernetesRules.podSecurityRestricted(),
                KubernetesRules.podApiToken(),
                KubernetesRules.readOnlyRootFilesystem(),
                KubernetesRules.namespacePodSecurity(),
                KubernetesRules.namespaceDefaultDeny(),
                KubernetesRules.noLoadBalancer()));
        rules.addAll(DatabaseRules.all());
        rules.addAll(StorageRules.all());
        rules.addAll(HelmRules.all());
        rules.addAll(PrivilegeRules.all());
        return List.copyOf(rules);
    }

    /**
     * Runs the rules; findings are sorted by severity (errors first), rule and resource. No finding
     * shows a secret: a value the plan holds in plain text under a secret-named key (or in a
     * Secret's data) and the password of a URI are masked in every message and resource.
     */
    public static List<Finding> evaluate(PlanView plan, List<Rule> rules) {
        var findings = new ArrayList<Finding>();
        rules.forEach(rule -> findings.addAll(rule.evaluate(plan)));
        if (!findings.isEmpty()) {
            var secrets = plaintextSecrets(plan);
            findings.replaceAll(f -> new Finding(f.rule(), f.severity(), mask(f.resource(), secrets), mask(f.message(), secrets)));
        }
        findings.sort(Comparator.comparing(Finding::severity)
                .thenComparing(Finding::rule)
                .thenComparing(Finding::resource)
                .thenComparing(Finding::message));
        return List.copyOf(findings);
    }

    /** The plain-text secret values in the plan (long enough to be told apart from ordinary words). */
    private static Set<String> plaintextSecrets(PlanView plan) {
        var values = new HashSet<String>();
        Masking.Found found = (path, value) -> {
            if (value.length() >= MIN_MASKED_LENGTH) {
                values.add(value);
            }
        };
        plan.resources().forEach(r -> Masking.maskPlaintextInputs(r.type(), r.inputs(), found));
        Masking.maskPlaintextOutputs(plan.outputs(), found);
        return values;
    }

    /** Secrets shorter than this are not searched for in messages (they would mask ordinary words). */
    static final int MIN_MASKED_LENGTH = 4;

    static String mask(String text, Set<String> secrets) {
        String masked = Masking.maskUriPasswords(text);
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, Masking.SECRET);
            }
        }
        return masked;
    }

    public static List<Finding> evaluate(PlanView plan) {
        return evaluate(plan, defaultRules());
    }

    public static boolean hasErrors(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }
}
