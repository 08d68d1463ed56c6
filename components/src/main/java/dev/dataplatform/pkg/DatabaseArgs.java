package dev.dataplatform.pkg;

import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;

import java.util.List;
import java.util.Locale;

/** One database of the access model: its schemas, extensions, pgSTAC, and logins. */
@Describe("One database of the access model: its schemas, extensions, pgSTAC, and logins.")
public final class DatabaseArgs extends ResourceArgs {
    @Describe("The database name.")
    @Import(name = "name", required = true)
    private String name;
    @Describe("Schemas to create. Default: none.")
    @Import(name = "schemas")
    private List<String> schemas;
    @Describe("Extensions to install, e.g. postgis. Default: none.")
    @Import(name = "extensions")
    private List<String> extensions;
    @Describe("Prepare the database for pgSTAC (its roles and extensions). Default: false.")
    @Import(name = "pgstac")
    private Boolean pgstac;
    @Describe("Logins and their access. Default: none.")
    @Import(name = "logins")
    private List<LoginArgs> logins;

    public DatabaseArgs() {
    }

    public DatabaseArgs(String name, List<String> extensions, List<LoginArgs> logins) {
        this.name = name;
        this.extensions = extensions;
        this.logins = logins;
    }

    DatabaseModel model() {
        return new DatabaseModel(name, schemas, extensions, pgstac != null && pgstac,
                logins == null ? List.of() : logins.stream().map(LoginArgs::login).toList());
    }

    /** A login and its access: owner, writer or reader. */
    @Describe("A login and its access to the database.")
    public static final class LoginArgs extends ResourceArgs {
        @Describe("The login (role) name.")
        @Import(name = "name", required = true)
        private String name;
        @Describe(value = "What the login may do.", oneOf = "Access")
        @Import(name = "access", required = true)
        private String access;

        public LoginArgs() {
        }

        public LoginArgs(String name, String access) {
            this.name = name;
            this.access = access;
        }

        Login login() {
            Access level;
            try {
                level = Access.valueOf(String.valueOf(access).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("login '" + name + "': access '" + access + "' is not valid; allowed: owner, writer, reader");
            }
            return new Login(name, level);
        }
    }
}
