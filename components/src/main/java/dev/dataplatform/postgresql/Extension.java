package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;


/** {@code postgresql:index/extension:Extension}: CREATE EXTENSION in one database. */
@ResourceType(type = "postgresql:index/extension:Extension")
public final class Extension extends CustomResource {
    public static final String TYPE = "postgresql:index/extension:Extension";

    public Extension(String name, Args args, CustomResourceOptions options) {
        super(TYPE, name, args, PostgresqlPlugin.withVersion(options));
    }

    public static final class Args extends ResourceArgs {
        @Import(name = "name", required = true)
        private Output<String> name;
        @Import(name = "database")
        private Output<String> database;
        @Import(name = "schema")
        private Output<String> schema;

        public static Args of(String extension, Output<String> database, String schema) {
            var args = new Args();
            args.name = Output.of(extension);
            args.database = database;
            args.schema = Output.of(schema);
            return args;
        }
    }
}
