package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.List;

/** {@code postgresql:index/defaultPrivileges:DefaultPrivileges}: privileges on objects {@code owner} creates later. */
@ResourceType(type = "postgresql:index/defaultPrivileges:DefaultPrivileges")
public final class DefaultPrivileges extends CustomResource {
    public static final String TYPE = "postgresql:index/defaultPrivileges:DefaultPrivileges";

    public DefaultPrivileges(String name, Args args, CustomResourceOptions options) {
        super(TYPE, name, args, PostgresqlPlugin.withVersion(options));
    }

    public static final class Args extends ResourceArgs {
        @Import(name = "database", required = true)
        private Output<String> database;
        @Import(name = "owner", required = true)
        private Output<String> owner;
        @Import(name = "role", required = true)
        private Output<String> role;
        @Import(name = "schema")
        private Output<String> schema;
        @Import(name = "objectType", required = true)
        private Output<String> objectType;
        @Import(name = "privileges", required = true)
        private Output<List<String>> privileges;
        @Import(name = "withGrantOption")
        private Output<Boolean> withGrantOption;

        public static Args of(Output<String> database, String owner, String role, String schema, String objectType,
                              List<String> privileges) {
            var args = new Args();
            args.database = database;
            args.owner = Output.of(owner);
            args.role = Output.of(role);
            args.schema = Output.of(schema);
            args.objectType = Output.of(objectType);
            args.privileges = Output.of(List.copyOf(privileges));
            args.withGrantOption = Output.of(false);
            return args;
        }
    }
}
