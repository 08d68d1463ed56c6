package dev.dataplatform.stackgres;

import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.SqlScript;
import dev.dataplatform.kubernetes.crd.StackGres.ScriptEntry;
import dev.dataplatform.kubernetes.crd.StackGres.ScriptFrom;
import dev.dataplatform.kubernetes.crd.StackGres.SecretKeySelector;

import java.util.ArrayList;
import java.util.List;

/**
 * The access model as SGScript entries, which StackGres runs as the superuser, each entry once per
 * version. Plain SQL only (no psql {@code \gexec}/{@code \connect}): every entry names its database.
 *
 * <p>Entry ids are fixed by position so the operator never renumbers them: 1 roles and memberships,
 * then two per database (create it; converge its objects and grants); the last entry sets
 * the application login's password from a Secret. Every entry except CREATE DATABASE converges when
 * run again; CREATE DATABASE depends only on the database's name, so it never gets a new version.
 */
public final class TenantScript {
    /** Transaction mode for entries that must apply completely or not at all. */
    static final String IN_TRANSACTION = "read-committed";

    private TenantScript() {
    }

    public static List<ScriptEntry> entries(AccessModel model, SecretKeySelector passwordScript) {
        return entries(model, passwordScript, java.util.Set.of());
    }

    /**
     * @param existingDatabases databases something else creates before the script runs: for a Citus
     *                          tenant, Patroni's Citus bootstrap creates {@code spec.database}
     *                          ({@link OperatorFacts#CITUS_DATABASE_SOURCE}); their CREATE DATABASE
     *                          entry is left out (its id stays unused, so ids never shift)
     */
    public static List<ScriptEntry> entries(AccessModel model, SecretKeySelector passwordScript,
                                            java.util.Set<String> existingDatabases) {
        var entries = new ArrayList<ScriptEntry>();
        entries.add(new ScriptEntry(1, "roles", "postgres", IN_TRANSACTION,
                String.join("\n", SqlScript.roleStatements(model)), null));
        int id = 2;
        for (DatabaseModel db : model.databases()) {
            int createId = id++;
            if (!existingDatabases.contains(db.name())) {
                entries.add(new ScriptEntry(createId, "create-database-" + db.name(), "postgres", null,
                        SqlScript.createDatabase(db) + ";", null));
            }
            var statements = new ArrayList<String>();
            statements.add(SqlScript.alterDatabaseOwner(db));
            statements.addAll(SqlScript.databaseStatements(model, db));
            entries.add(new ScriptEntry(id++, "access-" + db.name(), db.name(), IN_TRANSACTION,
                    String.join("\n", statements), null));
        }
        if (passwordScript != null) {
            entries.add(new ScriptEntry(id, "login-password", "postgres", null, null, new ScriptFrom(passwordScript)));
        }
        return List.copyOf(entries);
    }
}
