package dev.dataplatform.postgresql;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ProviderResource;
import com.pulumi.resources.ResourceArgs;


/** An explicit provider: one per database server (resources never use the default provider). */
@ResourceType(type = "pulumi:providers:postgresql")
public final class Provider extends ProviderResource {
    public static final String TYPE = "pulumi:providers:postgresql";

    public Provider(String name, Args args, CustomResourceOptions options) {
        super("postgresql", name, args, PostgresqlPlugin.withVersion(options));
    }

    /**
     * Connection settings. Provider inputs travel as strings, so numbers and booleans are
     * JSON-encoded. Integers are encoded here ("5432"): the SDK's own json=true encoding goes through a
     * double and would send "5432.0".
     */
    public static final class Args extends ResourceArgs {
        @Import(name = "host", required = true)
        private Output<String> host;
        @Import(name = "port")
        private Output<String> port;
        @Import(name = "username")
        private Output<String> username;
        @Import(name = "password")
        private Output<String> password;
        @Import(name = "database")
        private Output<String> database;
        @Import(name = "sslmode")
        private Output<String> sslmode;
        @Import(name = "superuser", json = true)
        private Output<Boolean> superuser;
        @Import(name = "connectTimeout")
        private Output<String> connectTimeout;
        @Import(name = "scheme")
        private Output<String> scheme;
        @Import(name = "expectedVersion")
        private Output<String> expectedVersion;
        @Import(name = "awsRdsIamAuth", json = true)
        private Output<Boolean> awsRdsIamAuth;
        @Import(name = "awsRdsIamRegion")
        private Output<String> awsRdsIamRegion;

        public static Builder builder() {
            return new Builder();
        }

        /** The admin login the provider connects as, if set. */
        public java.util.Optional<Output<String>> username() {
            return java.util.Optional.ofNullable(username);
        }

        public static final class Builder {
            private final Args args = new Args();

            public Builder host(Output<String> host) {
                args.host = host;
                return this;
            }

            public Builder port(int port) {
                args.port = Output.of(Integer.toString(port));
                return this;
            }

            public Builder username(Output<String> username) {
                args.username = username;
                return this;
            }

            /** Always a secret: wrap plain values with Output.ofSecret. */
            public Builder password(Output<String> password) {
                args.password = password.asSecret();
                return this;
            }

            public Builder database(String database) {
                args.database = Output.of(database);
                return this;
            }

            /** require, verify-ca or verify-full: the server must speak TLS. */
            public Builder sslmode(String sslmode) {
                args.sslmode = Output.of(sslmode);
                return this;
            }

            /** False on managed services (Cloud SQL, RDS): their admin users are not superusers. */
            public Builder superuser(boolean superuser) {
                args.superuser = Output.of(superuser);
                return this;
            }

            public Builder connectTimeout(int seconds) {
                args.connectTimeout = Output.of(Integer.toString(seconds));
                return this;
            }

            /** postgres (default), awspostgres (RDS IAM auth) or gcppostgres (Cloud SQL connector). */
            public Builder scheme(String scheme) {
                args.scheme = Output.of(scheme);
                return this;
            }

            /** Log in with an RDS IAM token instead of a password (the user must be a member of rds_iam). */
            public Builder awsRdsIamAuth(String region) {
                args.awsRdsIamAuth = Output.of(true);
                args.awsRdsIamRegion = Output.of(region);
                return this;
            }

            public Builder expectedVersion(String version) {
                args.expectedVersion = Output.of(version);
                return this;
            }

            public Args build() {
                if (args.host == null) {
                    throw new IllegalArgumentException("postgresql provider: host is required");
                }
                return args;
            }
        }
    }
}
