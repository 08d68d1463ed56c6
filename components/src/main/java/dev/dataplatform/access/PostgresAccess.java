package dev.dataplatform.access;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import dev.dataplatform.access.PrivilegeGrant.Kind;
import dev.dataplatform.postgresql.Database;
import dev.dataplatform.postgresql.DefaultPrivileges;
import dev.dataplatform.postgresql.Extension;
import dev.dataplatform.postgresql.Grant;
import dev.dataplatform.postgresql.GrantRole;
import dev.dataplatform.postgresql.Provider;
import dev.dataplatform.postgresql.Role;
import dev.dataplatform.postgresql.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders an {@link AccessModel} onto one PostgreSQL server as pulumi-postgresql resources, through
 * an explicit provider for that server. Databases are protected when asked (stage and prod).
 *
 * <p>Children are named {@code <name>-...} so several servers in one stack never collide; those
 * names are part of the URNs, so they must not change.
 */
public final class PostgresAccess extends ComponentResource {
    public static final String TYPE = "dataplatform:postgres:Access";

    /** The names of the databases declared, for exports. */
    public final Output<List<String>> databases;

    /**
     * @param model      the databases, roles and logins
     * @param connection how the provider reaches the server (admin user; TLS required)
     * @param protect    Pulumi {@code protect} on the databases. Default behaviour: on in stage and prod.
     */
    public record Args(AccessModel model, Provider.Args connection, boolean protect, List<Resource> externalLogins,
                       List<String> loginRolesOnServer) {
        public Args(AccessModel model, Provider.Args connection, boolean protect) {
            this(model, connection, protect, List.of(), List.of());
        }

        public Args(AccessModel model, Provider.Args connection, boolean protect, List<Resource> externalLogins) {
            this(model, connection, protect, externalLogins, List.of());
        }
    }

    public PostgresAccess(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var provider = new Provider(name, args.connection(), CustomResourceOptions.builder().parent(this).build());
        var model = args.model();

        Map<String, Resource> roles = new HashMap<>();
        for (String role : model.groupRoles()) {
            roles.put(role, new Role(name + "-role-" + role, Role.Args.of(role, false), roleOptions(provider)));
        }
        var external = model.externalLogins();
        var migrators = model.migratorLogins();
        for (String login : model.loginRoles()) {
            if (!external.contains(login)) {
                var roleArgs = Role.Args.of(login, true);
                roles.put(login, new Role(name + "-login-" + login, migrators.contains(login) ? roleArgs.withCreateRole() : roleArgs,
                        roleOptions(provider)));
            }
        }
        for (var membership : model.memberships()) {
            var dependsOn = new ArrayList<Resource>();
            if (roles.containsKey(membership.member())) {
                dependsOn.add(roles.get(membership.member()));
            } else {
                dependsOn.addAll(args.externalLogins());
            }
            dependsOn.add(roles.get(membership.role()));
            new GrantRole(name + "-member-" + membership.member() + "-in-" + membership.role(),
                    GrantRole.Args.of(Output.of(membership.member()), Output.of(membership.role())),
                    child(provider, dependsOn));
        }

        // Roles the server itself provides that every login needs (e.g. rds_iam for IAM tokens on RDS).
        for (String serverRole : args.loginRolesOnServer()) {
            for (String login : model.loginRoles()) {
                var dependsOn = roles.containsKey(login) ? List.of(roles.get(login)) : List.<Resource>copyOf(args.externalLogins());
                new GrantRole(name + "-member-" + login + "-in-" + serverRole,
                        GrantRole.Args.of(Output.of(login), Output.of(serverRole)), child(provider, dependsOn));
            }
        }

        var names = new ArrayList<String>();
        for (DatabaseModel db : model.databases()) {
            names.add(db.name());
            // The managed admin (not superuser, not owner) must be a member of the owner role: the provider borrows
            // it for CREATE DATABASE only, and database-level GRANT/REVOKE by a non-member merely warn.
            var databaseDependsOn = new ArrayList<Resource>(List.of(roles.get(db.ownerRole())));
            args.connection().username().ifPresent(admin -> databaseDependsOn.add(new GrantRole(
                    name + "-admin-in-" + db.ownerRole(), GrantRole.Args.of(admin, Output.of(db.ownerRole())),
                    child(provider, List.of(roles.get(db.ownerRole()))))));
            var databaseOptions = CustomResourceOptions.builder().parent(this).provider(provider)
                    .dependsOn(databaseDependsOn).protect(args.protect()).build();
            var database = new Database(name + "-database-" + db.name(),
                    Database.Args.of(db.name(), Output.of(db.ownerRole())), databaseOptions);
            var dbName = database.databaseName();
            var objects = new ArrayList<Resource>(List.of(database));
            for (String extension : db.allExtensions()) {
                objects.add(new Extension(name + "-" + db.name() + "-extension-" + extension,
                        Extension.Args.of(extension, dbName, "public"), child(provider, List.of(database))));
            }
            for (String schema : db.schemas()) {
                if (!schema.equals("public")) {
                    objects.add(new Schema(name + "-" + db.name() + "-schema-" + schema,
                            Schema.Args.of(schema, dbName, Output.of(db.ownerRole())),
                            child(provider, List.of(database, roles.get(db.ownerRole())))));
                }
            }
            for (PrivilegeGrant grant : model.privileges()) {
                if (!grant.database().equals(db.name())) {
                    continue;
                }
                var dependsOn = new ArrayList<>(objects);
                if (roles.containsKey(grant.role())) {
                    dependsOn.add(roles.get(grant.role()));
                }
                String suffix = grant.objectType().token() + (grant.schema() == null ? "" : "-" + grant.schema()) + "-" + grant.role();
                var privileges = List.copyOf(grant.privileges());
                if (grant.kind() == Kind.DEFAULT) {
                    new DefaultPrivileges(name + "-" + db.name() + "-default-" + suffix,
                            DefaultPrivileges.Args.of(dbName, grant.owner(), grant.role(), grant.schema(),
                                    grant.objectType().token(), privileges),
                            child(provider, dependsOn));
                } else {
                    new Grant(name + "-" + db.name() + "-grant-" + suffix,
                            Grant.Args.of(dbName, grant.role(), grant.schema(), grant.objectType().token(), privileges),
                            child(provider, dependsOn));
                }
            }
        }
        this.databases = Output.of(List.copyOf(names));
        registerOutputs(Map.of("databases", databases));
    }

    /**
     * A Role of the model. Its memberships are GrantRole resources (and, for pgSTAC's roles, grants pgSTAC's migration
     * makes among them), never its own {@code roles}: the provider reads every membership back into {@code roles}
     * and an update revokes those not listed, so the Role ignores changes to {@code roles}
     * ({@link Role#MEMBERSHIPS_FROM_GRANT_ROLE}; docs/access-model.md "Who owns a membership").
     */
    private CustomResourceOptions roleOptions(Provider provider) {
        return CustomResourceOptions.builder().parent(this).provider(provider)
                .ignoreChanges(Role.MEMBERSHIPS_FROM_GRANT_ROLE).build();
    }

    private CustomResourceOptions child(Provider provider, List<Resource> dependsOn) {
        return CustomResourceOptions.builder().parent(this).provider(provider).dependsOn(dependsOn).build();
    }
}
