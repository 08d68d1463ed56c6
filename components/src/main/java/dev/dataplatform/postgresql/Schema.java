package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;


/** {@code postgresql:index/schema:Schema}: a schema and its owner. */
@ResourceType(type = "postgresql:index/schema:Schema")
public final class Schema extends CustomResource {
    public static final String TYPE = "postgresql:index/schema:Schema";

    public Schema(String name, Args args, CustomResourceOptions options) {
        super(TYPE, name, args, PostgresqlPlugin.withVersion(options));
    }

    public static final class Args extends ResourceArgs {
        @Import(name = "name", required = true)
        private Output<String> name;
        @Import(name = "database")
        private Output<String> database;
        @Import(name = "owner")
        private Output<String> owner;
        @Import(name = "ifNotExists")
        private Output<Boolean> ifNotExists;
        @Import(name = "dropCascade")
        private Output<Boolean> dropCascade;

        /** Never dropped with CASCADE: removing a schema from the model must not drop its tables. */
        public static Args of(String schema, Output<String> database, Output<String> owner) {
            var args = new Args();
            args.name = Output.of(schema);
            args.database = database;
            args.owner = owner;
            args.ifNotExists = Output.of(true);
            args.dropCascade = Output.of(false);
            return args;
        }
    }
}
