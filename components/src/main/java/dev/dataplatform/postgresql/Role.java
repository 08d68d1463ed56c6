package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.List;

/** {@code postgresql:index/role:Role}: a role; here never with a password (auth is IAM or external). */
@ResourceType(type = "postgresql:index/role:Role")
public final class Role extends CustomResource {
    public static final String TYPE = "postgresql:index/role:Role";
    /**
     * The {@code ignoreChanges} of a Role whose memberships come from {@code GrantRole}: the provider's read sets
     * {@code roles} to every membership the role has, and its update revokes all of them and grants only
     * {@code roles} (terraform-provider-postgresql {@code resource_postgresql_role.go}, docs/upstream-facts.md).
     */
    public static final List<String> MEMBERSHIPS_FROM_GRANT_ROLE = List.of("roles");

    @Export(name = "name", refs = {String.class}, tree = "[0]")
    private Output<String> name;

    public Role(String name, Args args, CustomResourceOptions options) {
        super(TYPE, name, args, PostgresqlPlugin.withVersion(options));
    }

    public Output<String> roleName() {
        return name;
    }

    public static final class Args extends ResourceArgs {
        @Import(name = "name", required = true)
        private Output<String> name;
        @Import(name = "login")
        private Output<Boolean> login;
        @Import(name = "inherit")
        private Output<Boolean> inherit;
        @Import(name = "superuser")
        private Output<Boolean> superuser;
        @Import(name = "createDatabase")
        private Output<Boolean> createDatabase;
        @Import(name = "createRole")
        private Output<Boolean> createRole;
        @Import(name = "replication")
        private Output<Boolean> replication;
        @Import(name = "bypassRowLevelSecurity")
        private Output<Boolean> bypassRowLevelSecurity;
        @Import(name = "roles")
        private Output<List<String>> roles;

        /** A role with no superpowers: NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT. */
        public static Args of(String name, boolean login) {
            var args = new Args();
            args.name = Output.of(name);
            args.login = Output.of(login);
            args.inherit = Output.of(true);
            args.superuser = Output.of(false);
            args.createDatabase = Output.of(false);
            args.createRole = Output.of(false);
            args.replication = Output.of(false);
            args.bypassRowLevelSecurity = Output.of(false);
            return args;
        }

        /** The same with CREATEROLE (pgSTAC's migrator: its SQL runs CREATE ROLE and ALTER ROLE ... SET). */
        public Args withCreateRole() {
            createRole = Output.of(true);
            return this;
        }

        /** The same with CREATEDB (a restore drill creates and drops its scratch database). */
        public Args withCreateDatabase() {
            createDatabase = Output.of(true);
            return this;
        }

        /** The same as a member of these roles (the provider's {@code roles}: server roles such as rds_iam). */
        public Args withRoles(List<String> memberOf) {
            roles = Output.of(List.copyOf(memberOf));
            return this;
        }
    }
}
