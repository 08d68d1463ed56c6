package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;


/** {@code postgresql:index/database:Database}: a database and its owner. */
@ResourceType(type = "postgresql:index/database:Database")
public final class Database extends CustomResource {
    public static final String TYPE = "postgresql:index/database:Database";

    @Export(name = "name", refs = {String.class}, tree = "[0]")
    private Output<String> name;

    public Database(String name, Args args, CustomResourceOptions options) {
        super(TYPE, name, args, PostgresqlPlugin.withVersion(options));
    }

    public Output<String> databaseName() {
        return name;
    }

    public static final class Args extends ResourceArgs {
        @Import(name = "name", required = true)
        private Output<String> name;
        @Import(name = "owner")
        private Output<String> owner;
        @Import(name = "encoding")
        private Output<String> encoding;
        @Import(name = "template")
        private Output<String> template;

        /** UTF8 from template0, so the encoding does not depend on the server's template1. */
        public static Args of(String name, Output<String> owner) {
            var args = new Args();
            args.name = Output.of(name);
            args.owner = owner;
            args.encoding = Output.of("UTF8");
            args.template = Output.of("template0");
            return args;
        }
    }
}
