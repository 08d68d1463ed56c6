package dev.dataplatform.stackgres;

import dev.dataplatform.core.Environment;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A tenant's PgBouncer pool (the SGPoolingConfig its cluster references): what StackGres 1.18.6 does
 * with {@code pgbouncer.ini} parameters, how the project sizes the pool, and the rules for overrides.
 * The sources are in {@link #FACTS} and docs/upstream-facts.md.
 *
 * <p>Sizing. The tenants leave PostgreSQL's {@code max_connections} at its default of 100 (StackGres's
 * default SGPostgresConfig does not set it; its own Citus code assumes 100 too) and StackGres reserves 8
 * of them for superusers. StackGres's PgBouncer defaults ({@code default_pool_size=1000},
 * {@code max_db_connections=0}, i.e. unlimited) would let PgBouncer ask for more server connections
 * than PostgreSQL accepts, so the project caps the pool: {@link #MAX_SERVER_CONNECTIONS} per database
 * (100 - 8 reserved - 12 for replication, Patroni, the exporter and backups), and on a Citus
 * coordinator the {@code citus.max_client_connections} StackGres computes (90% of 100 divided by
 * 1 + shards). The pool mode stays StackGres's default, {@code session}.
 */
public final class TenantPooling {
    /** pgbouncer.ini parameters StackGres 1.18.6 owns: dropped from [pgbouncer], refused in [databases]/[users]. */
    public static final Set<String> BLOCKLIST = new TreeSet<>(List.of("admin_users", "stats_users", "auth_file", "auth_query",
            "auth_type", "auth_user", "conffile", "dns_max_ttl", "dns_nxdomain_ttl", "dns_zone_check_period", "listen_addr",
            "listen_port", "logfile", "pidfile", "server_round_robin", "server_tls_ca_file", "server_tls_cert_file",
            "server_tls_ciphers", "server_tls_key_file", "server_tls_protocols", "server_tls_sslmode", "syslog",
            "syslog_facility", "syslog_ident", "unix_socket_dir", "unix_socket_group", "unix_socket_mode", "host", "password"));
    /** The PgBouncer version StackGres 1.18.6 ships (versions-1.18.properties: pgbouncer=1.25.1-build-6.49). */
    public static final String PGBOUNCER_VERSION = "1.25.1";
    /**
     * Every {@code [pgbouncer]} parameter PgBouncer {@value #PGBOUNCER_VERSION} knows on Linux: the {@code CF_ABS} keys of
     * {@code bouncer_params[]} in src/main.c at tag pgbouncer_1_25_1 ({@code service_name} is Windows-only). Any other
     * name makes PgBouncer exit at start-up ({@code unknown parameter: pgbouncer/...}, lib/usual/cfparser.c;
     * {@code die("cannot load config file")}, src/main.c load_config), so a typo crash-loops the pooler.
     */
    public static final Set<String> PGBOUNCER_PARAMETERS = Set.of(
            "admin_users", "application_name_add_host", "auth_dbname", "auth_file", "auth_hba_file", "auth_ident_file",
            "auth_ldap_options", "auth_query", "auth_type", "auth_user", "autodb_idle_timeout", "cancel_wait_timeout",
            "client_idle_timeout", "client_login_timeout", "client_tls13_ciphers", "client_tls_ca_file",
            "client_tls_cert_file", "client_tls_ciphers", "client_tls_dheparams", "client_tls_ecdhcurve",
            "client_tls_key_file", "client_tls_protocols", "client_tls_sslmode", "conffile", "default_pool_size",
            "disable_pqexec", "dns_max_ttl", "dns_nxdomain_ttl", "dns_zone_check_period", "idle_transaction_timeout",
            "ignore_startup_parameters", "job_name", "listen_addr", "listen_backlog", "listen_port", "log_connections",
            "log_disconnections", "log_pooler_errors", "log_stats", "logfile", "max_client_conn",
            "max_db_client_connections", "max_db_connections", "max_packet_size", "max_prepared_statements",
            "max_user_client_connections", "max_user_connections", "min_pool_size", "peer_id", "pidfile", "pkt_buf",
            "pool_mode", "query_timeout", "query_wait_notify", "query_wait_timeout", "reserve_pool_size",
            "reserve_pool_timeout", "resolv_conf", "sbuf_loopcnt", "scram_iterations", "server_check_delay",
            "server_check_query", "server_connect_timeout", "server_fast_close", "server_idle_timeout",
            "server_lifetime", "server_login_retry", "server_reset_query", "server_reset_query_always",
            "server_round_robin", "server_tls13_ciphers", "server_tls_ca_file", "server_tls_cert_file",
            "server_tls_ciphers", "server_tls_key_file", "server_tls_protocols", "server_tls_sslmode", "so_reuseport",
            "stats_period", "stats_users", "suspend_timeout", "syslog", "syslog_facility", "syslog_ident",
            "tcp_defer_accept", "tcp_keepalive", "tcp_keepcnt", "tcp_keepidle", "tcp_keepintvl", "tcp_socket_buffer",
            "tcp_user_timeout", "track_extra_parameters", "transaction_timeout", "unix_socket_dir", "unix_socket_group",
            "unix_socket_mode", "user", "verbose");

    /** The parameters with their own typed settings here (not accepted under {@code parameters}). */
    public static final Set<String> TYPED = Set.of("pool_mode", "default_pool_size", "max_client_conn", "max_db_connections");
    /** StackGres 1.18.6's defaults for the typed parameters. */
    public static final String DEFAULT_POOL_MODE = "session";
    public static final int STACKGRES_MAX_CLIENT_CONN = 1000;
    /** PostgreSQL's default max_connections (not set by the tenants nor by StackGres's defaults). */
    public static final int POSTGRES_MAX_CONNECTIONS = 100;
    public static final int SUPERUSER_RESERVED = 8;
    /** Server connections PgBouncer may open to one database of an SGCluster tenant. */
    public static final int MAX_SERVER_CONNECTIONS = 80;
    public static final int MAX_CLIENT_CONNECTIONS_LIMIT = 100_000;
    public static final Pattern PARAMETER_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.,:=/ -]{1,200}");

    static final String SG = OperatorFacts.SG;
    static final String SG_OPERATOR_SRC = SG + "stackgres-k8s/src/operator/src/main/";
    public static final List<OperatorFacts.Fact> FACTS = List.of(
            new OperatorFacts.Fact("pgbouncer.ini parameters StackGres owns (dropped from [pgbouncer], refused in [databases] and [users])",
                    String.join(", ", BLOCKLIST), SG_OPERATOR_SRC + "resources/pgbouncer-blocklist.properties, "
                    + "java/io/stackgres/operator/conciliation/factory/cluster/sidecars/pooling/PgBouncerPooling.java (Blocklist removal), "
                    + "java/io/stackgres/operator/validation/pooling/PgBouncerBlocklistValidator.java@" + OperatorFacts.STACKGRES),
            new OperatorFacts.Fact("PgBouncer defaults (pool_mode, max_client_conn, default_pool_size, max_db_connections)",
                    "session, 1000, 1000, 0", SG_OPERATOR_SRC + "resources/pgbouncer-default-values.properties@" + OperatorFacts.STACKGRES),
            new OperatorFacts.Fact("PgBouncer version", "1.25.1",
                    SG + "stackgres-k8s/src/common/src/main/resources/versions-1.18.properties (pgbouncer=)@" + OperatorFacts.STACKGRES),
            new OperatorFacts.Fact("default SGPostgresConfig sets max_connections; superuser_reserved_connections", "no; 8",
                    SG_OPERATOR_SRC + "resources/v1.18/postgresql-default-values-pg14.properties (the file for PostgreSQL 14 and later: "
                    + "java/io/stackgres/operator/conciliation/factory/cluster/postgres/PostgresDefaultValues.java)@" + OperatorFacts.STACKGRES),
            new OperatorFacts.Fact("Citus coordinator citus.max_client_connections", "max_connections (default 100) * 90 / (100 * (1 + shards))",
                    SG_OPERATOR_SRC + "java/io/stackgres/operator/conciliation/factory/shardedcluster/"
                    + "StackGresShardedClusterForCitusUtil.java (getCoordinatorPostgresConfig)@" + OperatorFacts.STACKGRES),
            new OperatorFacts.Fact("PgBouncer offers TLS to clients (client_tls_sslmode) when spec.postgres.ssl.enabled, which defaults to true",
                    "prefer", SG_OPERATOR_SRC + "java/io/stackgres/operator/conciliation/factory/cluster/sidecars/pooling/PgBouncerPooling.java "
                    + "(client_tls_sslmode), " + SG + "stackgres-k8s/src/common/src/main/resources/crds/SGCluster.yaml (postgres.ssl default "
                    + "enabled: true)@" + OperatorFacts.STACKGRES),
            new OperatorFacts.Fact("SGPoolingConfig reference", "SGCluster spec.configurations.sgPoolingConfig; SGShardedCluster "
                    + "spec.coordinator.configurations.sgPoolingConfig, spec.shards.configurations.sgPoolingConfig",
                    SG + "stackgres-k8s/src/common/src/main/resources/crds/SGCluster.yaml, SGShardedCluster.yaml@" + OperatorFacts.STACKGRES));

    /** PgBouncer's pool modes. */
    public enum PoolMode {
        SESSION("session"), TRANSACTION("transaction"), STATEMENT("statement");

        public final String wire;

        PoolMode(String wire) {
            this.wire = wire;
        }

        public static Optional<PoolMode> of(String wire) {
            for (PoolMode m : values()) {
                if (m.wire.equals(wire)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /** Overrides from config; null fields take {@link #settings}'s sizing. */
    public record Overrides(PoolMode poolMode, Integer defaultPoolSize, Integer maxClientConnections, Integer maxDbConnections,
                            Map<String, String> parameters) {
        public static final Overrides NONE = new Overrides(null, null, null, null, Map.of());

        public Overrides {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }

    /** The pool a tenant gets: typed settings plus extra parameters, rendered as {@code [pgbouncer]}. */
    public record Settings(PoolMode poolMode, int defaultPoolSize, int maxClientConnections, int maxDbConnections,
                           Map<String, String> parameters) {
        public Map<String, String> pgbouncerIni() {
            var ini = new TreeMap<>(parameters);
            ini.put("pool_mode", poolMode.wire);
            ini.put("default_pool_size", String.valueOf(defaultPoolSize));
            ini.put("max_client_conn", String.valueOf(maxClientConnections));
            ini.put("max_db_connections", String.valueOf(maxDbConnections));
            return ini;
        }
    }

    private TenantPooling() {
    }

    /** Server connections PgBouncer may open: 80 on an SGCluster, citus.max_client_connections on a coordinator. */
    public static int serverConnectionCeiling(Integer citusShards) {
        if (citusShards == null) {
            return MAX_SERVER_CONNECTIONS;
        }
        return POSTGRES_MAX_CONNECTIONS * 90 / (100 * (1 + citusShards));
    }

    /** Default pool size per environment (one app login, one database), within the ceiling. */
    public static int defaultPoolSize(Environment environment, int ceiling) {
        int size = switch (environment) {
            case DEV -> 10;
            case STAGE -> 40;
            case PROD -> MAX_SERVER_CONNECTIONS;
        };
        return Math.min(size, ceiling);
    }

    /** The sized settings with the overrides applied; call {@link #problems} first. */
    public static Settings settings(Environment environment, Integer citusShards, Overrides overrides) {
        var o = overrides == null ? Overrides.NONE : overrides;
        int ceiling = serverConnectionCeiling(citusShards);
        int maxDb = o.maxDbConnections() != null ? o.maxDbConnections() : ceiling;
        int pool = o.defaultPoolSize() != null ? o.defaultPoolSize() : Math.min(defaultPoolSize(environment, ceiling), maxDb);
        return new Settings(o.poolMode() != null ? o.poolMode() : PoolMode.of(DEFAULT_POOL_MODE).orElseThrow(), pool,
                o.maxClientConnections() != null ? o.maxClientConnections() : STACKGRES_MAX_CLIENT_CONN, maxDb,
                new TreeMap<>(o.parameters()));
    }

    /** What is wrong with the overrides, by setting name (the config key), or an empty map. */
    public static Map<String, String> problems(Integer citusShards, boolean pgstac, Overrides o) {
        var problems = new TreeMap<String, String>();
        if (o == null) {
            return problems;
        }
        int ceiling = serverConnectionCeiling(citusShards);
        String why = citusShards == null
                ? "PostgreSQL accepts 100 connections, 8 reserved for superusers and 12 kept for replication, Patroni, the exporter and backups"
                : "the Citus coordinator's citus.max_client_connections with " + citusShards + " shards";
        if (o.maxDbConnections() != null && (o.maxDbConnections() < 1 || o.maxDbConnections() > ceiling)) {
            problems.put("maxDbConnections", o.maxDbConnections() + " is out of range; allowed: 1.." + ceiling + " (" + why + ")");
        }
        int maxDb = o.maxDbConnections() != null ? o.maxDbConnections() : ceiling;
        if (o.defaultPoolSize() != null && (o.defaultPoolSize() < 1 || o.defaultPoolSize() > maxDb)) {
            problems.put("defaultPoolSize", o.defaultPoolSize() + " is out of range; allowed: 1.." + maxDb
                    + " (at most maxDbConnections)");
        }
        if (o.maxClientConnections() != null && (o.maxClientConnections() < 1 || o.maxClientConnections() > MAX_CLIENT_CONNECTIONS_LIMIT)) {
            problems.put("maxClientConnections", o.maxClientConnections() + " is out of range; allowed: 1.." + MAX_CLIENT_CONNECTIONS_LIMIT);
        }
        if (pgstac && o.poolMode() == PoolMode.STATEMENT) {
            problems.put("poolMode", "'statement' is not allowed for a pgSTAC tenant: pypgstac migrate runs its SQL in one "
                    + "transaction through the pooler; allowed: session, transaction");
        }
        for (var e : o.parameters().entrySet()) {
            parameter(e.getKey(), e.getValue()).ifPresent(p -> problems.put("parameters." + e.getKey(), p));
        }
        return problems;
    }

    /** " (did you mean 'x'?)" for the closest known parameter within two edits, or "". */
    static String nearest(String name) {
        String best = null;
        int bestDistance = 3;
        for (String known : new TreeSet<>(PGBOUNCER_PARAMETERS)) {
            int d = distance(name, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1,
                        previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }

    /** One extra {@code [pgbouncer]} parameter: a name PgBouncer knows and StackGres does not own, and a plain value. */
    public static Optional<String> parameter(String name, String value) {
        if (name == null || !PARAMETER_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a pgbouncer.ini parameter name; allowed: lower-case letters, digits and '_'");
        }
        if (BLOCKLIST.contains(name)) {
            return Optional.of("is set by StackGres " + OperatorFacts.STACKGRES + " itself (its pgbouncer blocklist); allowed: "
                    + "any pgbouncer.ini [pgbouncer] parameter except " + String.join(", ", BLOCKLIST));
        }
        if (!PGBOUNCER_PARAMETERS.contains(name)) {
            return Optional.of("'" + name + "' is not a parameter of PgBouncer " + PGBOUNCER_VERSION + " (what StackGres "
                    + OperatorFacts.STACKGRES + " ships), which refuses to start with an unknown parameter" + nearest(name)
                    + "; allowed: a [pgbouncer] parameter of PgBouncer " + PGBOUNCER_VERSION + " (its documentation, config.md)");
        }
        if (TYPED.contains(name)) {
            return Optional.of("has its own setting (poolMode, defaultPoolSize, maxClientConnections, maxDbConnections); "
                    + "allowed here: other pgbouncer.ini parameters");
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            return Optional.of("'" + value + "' is not a plain pgbouncer.ini value; allowed: 1-200 letters, digits, spaces and _.,:=/-");
        }
        return Optional.empty();
    }
}
