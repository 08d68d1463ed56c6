package dev.dataplatform.guardrails;

import java.util.List;

/** Data-holding resources in stage and prod cannot be deleted or replaced by a mistaken update. */
final class StatefulRules {
    private StatefulRules() {
    }

    /** The default provider would act on whatever server the environment points at: never for databases. */
    static Rule explicitDatabaseProvider() {
        return new Rule("explicit-database-provider",
                "Every pulumi-postgresql resource names its server's provider explicitly.",
                plan -> plan.resources().stream()
                        .filter(r -> r.type().startsWith("postgresql:") && r.options().provider() == null)
                        .map(r -> new Finding("explicit-database-provider", Severity.ERROR, r.urn(),
                                r.type() + " uses the default provider: pass the server's postgresql Provider"))
                        .toList());
    }

    static boolean decommissioned(dev.dataplatform.engine.PlannedResource resource) {
        return resource.input("metadata.labels").filter(java.util.Map.class::isInstance)
                .map(labels -> "true".equals(((java.util.Map<?, ?>) labels).get(StatefulTypes.DECOMMISSION_LABEL)))
                .orElse(false);
    }

    /** A restore drill's scratch database: emptied after every drill, no durable data. */
    static boolean scratch(dev.dataplatform.engine.PlannedResource resource) {
        return resource.type().equals("postgresql:index/database:Database")
                && resource.input("name").filter(String.class::isInstance)
                .map(name -> ((String) name).startsWith(StatefulTypes.SCRATCH_DATABASE_PREFIX)).orElse(false);
    }

    /** A tenant on its way out: allowed unprotected, but never silently. */
    static Rule decommission() {
        return new Rule("tenant-decommission",
                "Stateful resources labelled " + StatefulTypes.DECOMMISSION_LABEL + "=true are unprotected on purpose; the plan says so.",
                plan -> plan.resources().stream()
                        .filter(r -> StatefulTypes.isStateful(r.type()) && decommissioned(r))
                        .map(r -> new Finding("tenant-decommission", Severity.WARNING, r.urn(),
                                r.type() + " '" + r.kubernetesName().orElse(r.name()) + "' is being decommissioned: it is not "
                                        + "protected, and removing its entry from the stack config deletes it with its data"))
                        .toList());
    }

    static Rule statefulProtected() {
        return new Rule("stateful-protected",
                "Stateful resources in stage and prod carry the Pulumi protect option.",
                plan -> {
                    if (!plan.environment().holdsDurableData()) {
                        return List.of();
                    }
                    return plan.resources().stream()
                            .filter(r -> StatefulTypes.isStateful(r.type()) && !r.options().protect() && !decommissioned(r)
                                    && !scratch(r))
                            .map(r -> new Finding("stateful-protected", Severity.ERROR, r.urn(),
                                    r.type() + " holds data but is not protected in " + plan.environment().id()
                                            + ": declare it with protect(true)"))
                            .toList();
                });
    }
}
