package dev.dataplatform.plan;

import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.access.SqlScript;
import dev.dataplatform.config.ConfigNode;
import dev.dataplatform.config.PlatformConfig;
import dev.dataplatform.config.PlatformConfigParser;
import dev.dataplatform.config.StackFile;
import dev.dataplatform.gcp.CloudSqlDatabase;
import dev.dataplatform.stackgres.StackGresTenant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code access-sql --stack S --database D}: the access model's idempotent psql script for one database of a
 * stack, as the program would apply it (the same model its pulumi-postgresql resources and SGScript entries
 * render), for DBAs and break-glass. Read offline from {@code Pulumi.<stack>.yaml}; secrets are not needed.
 */
@Command(name = "access-sql", mixinStandardHelpOptions = true,
        description = "Print the access model's idempotent psql script for one database of a stack "
                + "(psql -v ON_ERROR_STOP=1 -f FILE, as a superuser or the managed admin).")
final class AccessSqlCommand implements Callable<Integer> {
    @Option(names = "--stack", required = true, description = "Stack name; its config is read from Pulumi.<stack>.yaml.")
    String stack;

    @Option(names = "--database", required = true, description = "Database name.")
    String database;

    @Option(names = "--server", description = "cloudSql, rds, local or tenant:<client>, when several servers of the stack have the database.")
    String server;

    @Option(names = "--cwd", defaultValue = ".", description = "Project directory (default: current directory).")
    Path cwd;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var stackFile = StackFile.load(cwd, stack);
        var config = PlatformConfigParser.parse(stackFile, new ConfigNode.Context(stackFile.file(), false));
        var databases = databases(config);
        var matches = databases.entrySet().stream()
                .filter(e -> e.getValue().name().equals(database))
                .filter(e -> server == null || e.getKey().startsWith(server + "/"))
                .toList();
        var err = spec.commandLine().getErr();
        if (matches.size() != 1) {
            err.println((matches.isEmpty() ? "unknown database '" + database + "'" : "database '" + database
                    + "' is on several servers: pass --server") + " in stack " + stack + "; databases (server/database): "
                    + String.join(", ", databases.keySet()));
            err.flush();
            return Cli.INVALID;
        }
        var out = spec.commandLine().getOut();
        out.print(SqlScript.render(AccessModel.of(matches.get(0).getValue())));
        out.flush();
        return Cli.OK;
    }

    /** Every database of the stack, keyed {@code server/database}, with the logins the program gives it. */
    static Map<String, DatabaseModel> databases(PlatformConfig config) {
        var result = new LinkedHashMap<String, DatabaseModel>();
        // Each workload's Cloud SQL IAM user (created through the Cloud SQL API) where it has access, as CloudSqlDatabase adds it.
        config.cloudSql().ifPresent(c -> CloudSqlDatabase.withWorkloadLogins(c.project(), c.databases(), c.workloads())
                .forEach(db -> result.put("cloudSql/" + db.name(), db)));
        config.rds().ifPresent(r -> r.databases().forEach(db -> result.put("rds/" + db.name(), db)));
        // The local stack's in-cluster PostgreSQL: its access Job runs this script, then sets the generated passwords.
        config.local().ifPresent(l -> l.databases().forEach(db -> result.put("local/" + db.name(), db)));
        config.tenants().ifPresent(t -> t.clients().forEach(client -> {
            String name = client.database() == null ? client.name().replace('-', '_') : client.database();
            List<DatabaseModel> models = StackGresTenant.accessModel(name, client.extensions(), client.appAccess(), client.pgstac())
                    .databases();
            models.forEach(db -> result.put("tenant:" + client.name() + "/" + db.name(), db));
        }));
        return result;
    }
}
