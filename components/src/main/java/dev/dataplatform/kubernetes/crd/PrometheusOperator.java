package dev.dataplatform.kubernetes.crd;

import java.util.List;
import java.util.Map;

/**
 * Typed spec of a prometheus-operator {@code monitoring.coreos.com/v1} PrometheusRule (CRD
 * {@code example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml}@v0.93.0): {@code spec.groups[]}
 * with a required {@code name} and {@code rules[]} of {@code alert}, {@code expr} (required), {@code for} (a duration),
 * {@code labels} and {@code annotations} (string maps).
 */
public final class PrometheusOperator {
    public static final CrdKind PROMETHEUS_RULE = new CrdKind("monitoring.coreos.com/v1", "PrometheusRule");

    private PrometheusOperator() {
    }

    public record PrometheusRuleSpec(List<RuleGroup> groups) implements CrdSpec {
        public PrometheusRuleSpec {
            groups = List.copyOf(groups);
        }

        public CrdKind kind() {
            return PROMETHEUS_RULE;
        }
    }

    public record RuleGroup(String name, List<Rule> rules) {
        public RuleGroup {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a rule group needs a name");
            }
            rules = List.copyOf(rules);
        }
    }

    /** An alerting rule; {@code forDuration} is the CRD's {@code for} (a Prometheus duration such as {@code 5m}). */
    public record Rule(String alert, String expr, @Field("for") String forDuration, Map<String, String> labels,
                       Map<String, String> annotations) {
        public Rule {
            if (expr == null || expr.isBlank()) {
                throw new IllegalArgumentException("a rule needs an expr");
            }
            if (forDuration != null && !forDuration.matches("0|([0-9]+[smhdwy])+")) {
                throw new IllegalArgumentException("for '" + forDuration + "' is not a Prometheus duration such as 5m");
            }
        }
    }
}
