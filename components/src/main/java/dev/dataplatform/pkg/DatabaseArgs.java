package dev.dataplatform.pkg;

import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;

import java.util.List;
import java.util.Locale;

/** One database of the access model: its schemas, extensions, pgSTAC, and logins. */
public final class DatabaseArgs extends ResourceArgs {
    @Import(name = "name", required = true)
    private String name;
    @Import(name = "schemas")
    private List<String> schemas;
    @Import(name = "extensions")
    private List<String> extensions;
    @Import(name = "pgstac")
    private Boolean pgstac;
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
    public static final class LoginArgs extends ResourceArgs {
        @Import(name = "name", required = true)
        private String name;
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
