package dev.dataplatform.guardrails;

import java.util.List;

/** Data-holding resources in stage and prod cannot be deleted or replaced by a mistaken update. */
final class StatefulRules {
    private StatefulRules() {
    }

    static Rule statefulProtected() {
        return new Rule("stateful-protected",
                "Stateful resources in stage and prod carry the Pulumi protect option.",
                plan -> {
                    if (!plan.environment().holdsDurableData()) {
                        return List.of();
                    }
                    return plan.resources().stream()
                            .filter(r -> StatefulTypes.isStateful(r.type()) && !r.options().protect())
                            .map(r -> new Finding("stateful-protected", Severity.ERROR, r.urn(),
                                    r.type() + " holds data but is not protected in " + plan.environment().id()
                                            + ": declare it with protect(true)"))
                            .toList();
                });
    }
}
