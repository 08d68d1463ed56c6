package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;


/** {@code postgresql:index/grantRole:GrantRole}: {@code role} becomes a member of {@code grantRole}. */
@ResourceType(type = "postgresql:index/grantRole:GrantRole")
public final class GrantRole extends CustomResource {
    public static final String TYPE = "postgresql:index/grantRole:GrantRole";

    public GrantRole(String name, Args args, CustomResourceOptions options) {
        super(TYPE, name, args, PostgresqlPlugin.withVersion(options));
    }

    public static final class Args extends ResourceArgs {
        @Import(name = "role", required = true)
        private Output<String> role;
        @Import(name = "grantRole", required = true)
        private Output<String> grantRole;
        @Import(name = "withAdminOption")
        private Output<Boolean> withAdminOption;

        public static Args of(Output<String> member, Output<String> groupRole) {
            var args = new Args();
            args.role = member;
            args.grantRole = groupRole;
            args.withAdminOption = Output.of(false);
            return args;
        }
    }
}
