package dev.dataplatform.guardrails;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
                IamRules.leastPrivilege(),
                KubernetesRules.containerResources(),
                KubernetesRules.podSecurityRestricted(),
                KubernetesRules.namespacePodSecurity(),
                KubernetesRules.namespaceDefaultDeny(),
                KubernetesRules.noLoadBalancer()));
        rules.addAll(DatabaseRules.all());
        rules.addAll(StorageRules.all());
        rules.addAll(HelmRules.all());
        return List.copyOf(rules);
    }

    /** Runs the rules; findings are sorted by severity (errors first), rule and resource. */
    public static List<Finding> evaluate(PlanView plan, List<Rule> rules) {
        var findings = new ArrayList<Finding>();
        rules.forEach(rule -> findings.addAll(rule.evaluate(plan)));
        findings.sort(Comparator.comparing(Finding::severity)
                .thenComparing(Finding::rule)
                .thenComparing(Finding::resource)
                .thenComparing(Finding::message));
        return List.copyOf(findings);
    }

    public static List<Finding> evaluate(PlanView plan) {
        return evaluate(plan, defaultRules());
    }

    public static boolean hasErrors(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }
}
