package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.List;

/**
 * {@code postgresql:index/grant:Grant}: the exact privileges of a role on a database, a schema, or
 * all tables/sequences of a schema (an empty {@code objects} list means all). An empty privilege
 * list revokes everything.
 */
@ResourceType(type = "postgresql:index/grant:Grant")
public final class Grant extends CustomResource {
    public static final String TYPE = "postgresql:index/grant:Grant";

    public Grant(String name, Args args, CustomResourceOptions options) {
        super(TYPE, name, args, PostgresqlPlugin.withVersion(options));
    }

    public static final class Args extends ResourceArgs {
        @Import(name = "database", required = true)
        private Output<String> database;
        @Import(name = "role", required = true)
        private Output<String> role;
        @Import(name = "schema")
        private Output<String> schema;
        @Import(name = "objectType", required = true)
        private Output<String> objectType;
        @Import(name = "objects")
        private Output<List<String>> objects;
        @Import(name = "privileges", required = true)
        private Output<List<String>> privileges;
        @Import(name = "withGrantOption")
        private Output<Boolean> withGrantOption;

        public static Args of(Output<String> database, String role, String schema, String objectType,
                              List<String> privileges) {
            var args = new Args();
            args.database = database;
            args.role = Output.of(role);
            args.schema = schema == null ? null : Output.of(schema);
            args.objectType = Output.of(objectType);
            args.objects = objectType.equals("table") || objectType.equals("sequence") ? Output.of(List.of()) : null;
            args.privileges = Output.of(List.copyOf(privileges));
            args.withGrantOption = Output.of(false);
            return args;
        }
    }
}
