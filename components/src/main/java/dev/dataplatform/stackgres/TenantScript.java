package dev.dataplatform.stackgres;

import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.SqlScript;
import dev.dataplatform.kubernetes.crd.StackGres.ScriptEntry;
import dev.dataplatform.kubernetes.crd.StackGres.ScriptFrom;
import dev.dataplatform.kubernetes.crd.StackGres.SecretKeySelector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The access model as SGScript entries, which StackGres runs as the superuser, in the order of the list,
 * each entry once per version. Plain SQL only (no psql {@code \gexec}/{@code \connect}): every entry names its
 * database.
 *
 * <p>Entry ids are fixed so the operator never renumbers them: 1 roles and memberships, then two per database
 * (create it; converge its objects and grants), and the last id sets the application login's password from a
 * Secret. The list runs in a different order than the ids, so that recovery paths work (StackGres 1.18.6
 * {@code ManagedSqlReconciliator}: entries run in list order and, with {@code continueOnError: false}, a failed
 * entry stops the rest; a failed entry is never run again unless {@code retryOnError}):
 * <ol>
 *   <li>roles — converges when run again: {@code retryOnError};</li>
 *   <li>the password — right after the roles, so it never depends on a database being created (on a cluster
 *       restored from a backup {@code CREATE DATABASE} fails because the database exists, yet the app must log in
 *       with the current Secret's password): {@code retryOnError};</li>
 *   <li>per database, {@code CREATE DATABASE} (plain SQL has no {@code IF NOT EXISTS} for it and it cannot run in a
 *       transaction or a DO block, so it fails when the database exists: not retried) and then its access entry
 *       (converges when run again: {@code retryOnError}). On a restored cluster the access entries after a failed
 *       create do not run: the restored data already holds what they grant.</li>
 * </ol>
 * On Citus the roles and password entries run in the distributed database, where the citus extension is installed:
 * only there does Citus propagate {@code CREATE ROLE}, {@code ALTER ROLE … PASSWORD} and {@code GRANT role} to the
 * workers (citus v14.0.0 utility_hook.c: without the extension loaded in the database, commands are not propagated;
 * citus.enable_create_role_propagation and enable_alter_role_propagation default on).
 */
public final class TenantScript {
    /** Transaction mode for entries that must apply completely or not at all. */
    static final String IN_TRANSACTION = "read-committed";
    /** Entries that converge when run again are retried by the operator ({@code retryOnError}). */
    static final Boolean RETRY = Boolean.TRUE;

    private TenantScript() {
    }

    public static List<ScriptEntry> entries(AccessModel model, SecretKeySelector passwordScript) {
        return entries(model, passwordScript, Set.of());
    }

    /**
     * @param existingDatabases databases something else creates before the script runs: for a Citus
     *                          tenant, Patroni's Citus bootstrap creates {@code spec.database}
     *                          ({@link OperatorFacts#CITUS_DATABASE_SOURCE}); their CREATE DATABASE
     *                          entry is left out (its id stays unused, so ids never shift), and the roles and
     *                          password entries run in that (distributed) database
     */
    public static List<ScriptEntry> entries(AccessModel model, SecretKeySelector passwordScript,
                                            Set<String> existingDatabases) {
        if (existingDatabases.size() > 1) {
            throw new IllegalArgumentException("at most one database exists before the script (Citus's distributed database): "
                    + existingDatabases);
        }
        // Role commands reach Citus's workers only from a database with the citus extension.
        String rolesDatabase = existingDatabases.isEmpty() ? "postgres" : existingDatabases.iterator().next();
        var entries = new ArrayList<ScriptEntry>();
        entries.add(new ScriptEntry(1, "roles", rolesDatabase, IN_TRANSACTION,
                String.join("\n", SqlScript.roleStatements(model)), null, RETRY));
        int passwordId = 2 + 2 * model.databases().size();
        if (passwordScript != null) {
            entries.add(new ScriptEntry(passwordId, "login-password", rolesDatabase, null, null, new ScriptFrom(passwordScript),
                    RETRY));
        }
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
                    String.join("\n", statements), null, RETRY));
        }
        return List.copyOf(entries);
    }
}
