package dev.dataplatform.config;

import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.core.Environment;
import dev.dataplatform.core.Rules;

import dev.dataplatform.dagster.DagsterStack;
import dev.dataplatform.observability.ObservabilityStack;
import dev.dataplatform.observability.PinnedVersions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;


/**
 * Reads data-platform:dagster and data-platform:observability. Both use databases the stack
 * declares elsewhere, so they are checked against the Cloud SQL and RDS config too: a database that
 * does not exist, or a login that could not connect, is a config error, not a failed deployment.
 */
final class KubernetesAppsConfigParser {
    static final Pattern IMAGE = Pattern.compile("([a-z0-9.-]+(:[0-9]+)?/)?[a-z0-9._/-]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    static final String IMAGE_RULE = "an image with a fixed tag, e.g. ghcr.io/acme/pipelines:1.4.2 (not latest)";
    static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,64}");
    static final Pattern STORE = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    static final Pattern REMOTE_KEY = Pattern.compile("[A-Za-z0-9/_.+=@-]{1,512}");
    static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");
    static final Pattern OIDC_ISSUER = Pattern.compile("https://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]{0,200})?");
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._@-]{1,256}");
    static final Pattern EMAIL_DOMAIN = Pattern.compile("\\*|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

    private KubernetesAppsConfigParser() {
    }

    static Optional<DagsterConfig> dagster(ConfigNode root, Environment environment, Optional<CloudSqlConfig> cloudSql,
                                           Optional<RdsConfig> rds, Optional<LocalConfig> local) {
        var found = root.object("dagster");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var chart = Optional.ofNullable(node.string("chartVersion", PinnedVersions.DAGSTER_CHART::check)
                .orElse(node.has("chartVersion") ? null : PinnedVersions.DAGSTER_CHART.version()));
        String namespace = node.string("namespace", Rules::dnsLabel).orElse("dagster");
        String account = node.string("serviceAccount", Rules::dnsLabel).orElse("dagster");
        var servers = new LinkedHashMap<String, DagsterConfig.Server>();
        servers.put("cloudSql", DagsterConfig.Server.CLOUD_SQL);
        servers.put("rds", DagsterConfig.Server.RDS);
        servers.put("local", DagsterConfig.Server.LOCAL);
        var dbNode = node.object("database");
        if (dbNode.isEmpty()) {
            node.error("database", "is required: {server: cloudSql|rds, name: <database>}");
        }
        DagsterConfig.Server server = null;
        String name = null;
        String login = null;
        String store = null;
        String key = null;
        String cidr = null;
        DagsterStack.Auth auth = null;
        if (dbNode.isPresent()) {
            var db = dbNode.get();
            server = db.requireOneOf("server", servers).orElse(null);
            name = db.requireString("name", dev.dataplatform.access.Names.IDENTIFIER, dev.dataplatform.access.Names.IDENTIFIER_RULE)
                    .orElse(null);
            var auths = new LinkedHashMap<String, Boolean>();
            auths.put("iam", true);
            auths.put("password", false);
            boolean iam = db.oneOf("auth", auths).orElse(server != DagsterConfig.Server.LOCAL);
            login = db.roleName("login").orElse(null);
            store = db.string("passwordStore", STORE, "a ClusterSecretStore name").orElse(null);
            key = db.string("passwordKey", REMOTE_KEY, "the secret's key in that store").orElse(null);
            cidr = db.string("cidr", dev.dataplatform.core.Rules::privateIpv4Cidr).orElse(null);
            if (server == DagsterConfig.Server.LOCAL) {
                auth = DagsterStack.Auth.PASSWORD;
                if (iam) {
                    db.error("auth", "iam is not possible on local: the in-cluster PostgreSQL has password logins only; use auth: password");
                }
                if (store != null || key != null) {
                    db.error("passwordStore", "is not used with local: the password is generated in the cluster "
                            + "(data-platform:local); remove passwordStore and passwordKey");
                }
                localDatabase(db, local, name, login);
                store = dev.dataplatform.local.LocalServices.CREDENTIALS_STORE;
                key = login == null ? null : dev.dataplatform.local.LocalServices.loginPasswordRef(login);
            } else if (!iam && (store == null || key == null)) {
                db.error("auth", "password needs passwordStore and passwordKey: External Secrets reads the password from there");
            }
            if (iam && server != DagsterConfig.Server.LOCAL && (store != null || key != null)) {
                db.error("auth", "iam uses no password: remove passwordStore and passwordKey, or set auth: password");
            }
            if (server == DagsterConfig.Server.CLOUD_SQL) {
                auth = iam ? DagsterStack.Auth.GCP_IAM : DagsterStack.Auth.PASSWORD;
                cloudSqlDatabase(db, cloudSql, name, iam, login, namespace, account);
            } else if (server == DagsterConfig.Server.RDS) {
                auth = iam ? DagsterStack.Auth.AWS_IAM : DagsterStack.Auth.PASSWORD;
                if (!iam) {
                    db.error("auth", "password is not possible on rds: its logins authenticate with IAM tokens only (rds_iam); use auth: iam");
                }
                rdsDatabase(db, rds, name, login);
                if (cidr == null) {
                    db.error("cidr", "is required with rds: the VPC range egress to PostgreSQL may go to");
                }
            }
            db.finish();
        }
        String roleArn = node.string("awsRoleArn", ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)").orElse(null);
        if (auth == DagsterStack.Auth.AWS_IAM && roleArn == null) {
            node.error("awsRoleArn", "is required with rds and auth iam: the IRSA role allowed rds-db:connect as the login");
        }
        if (roleArn != null && auth != DagsterStack.Auth.AWS_IAM) {
            node.error("awsRoleArn", "is only used with database.server rds and auth iam");
        }
        Integer replicas = node.integer("webserverReplicas", 1, 10).orElse(null);
        int runs = node.integer("maxConcurrentRuns", 1, 1000).orElse(10);
        Integer memory = node.integer("workerMemoryGiB", DagsterStack.MIN_WORKER_MEMORY_GIB, 256).orElse(null);
        Integer duckDb = node.integer("duckDbMemoryGiB", 1, 255).orElse(null);
        if (node.has("workerMemoryGiB") == (memory != null) && node.has("duckDbMemoryGiB") == (duckDb != null)) {
            int worker = memory != null ? memory : DagsterStack.workerMemoryGiB(environment);
            int limit = duckDb != null ? duckDb : DagsterStack.defaultDuckDbMemoryGiB(worker);
            DagsterStack.runPodFits(worker, limit).ifPresent(problem ->
                    node.error(duckDb != null ? "duckDbMemoryGiB" : "workerMemoryGiB", problem));
        }
        var authProxy = authProxy(node, environment);
        var locations = node.objects("codeLocations", l -> {
            var locationName = l.requireString("name", "the code location name", Rules::dnsLabel);
            var image = l.requireString("image", IMAGE, IMAGE_RULE).filter(i -> {
                if (i.endsWith(":latest")) {
                    l.error("image", "'" + i + "' uses tag latest: runs must use the image the location was loaded from");
                    return false;
                }
                return true;
            });
            var module = l.requireString("module", MODULE, "a Python module such as acme_pipelines.definitions");
            if (locationName.isEmpty() || image.isEmpty() || module.isEmpty()) {
                return Optional.empty();
            }
            int colon = image.get().lastIndexOf(':');
            return Optional.of(new DagsterStack.CodeLocation(locationName.get(), image.get().substring(0, colon),
                    image.get().substring(colon + 1), module.get()));
        });
        var names = new java.util.HashSet<String>();
        for (int i = 0; i < locations.size(); i++) {
            if (!names.add(locations.get(i).name())) {
                node.error("codeLocations[" + i + "].name", "'" + locations.get(i).name() + "' is listed twice");
            }
        }
        var ingress = node.checkedStrings("allowWebserverFrom", Rules::dnsLabel);
        ClustersConfigParser.place(node, ClustersConfig.Component.DAGSTER, server == DagsterConfig.Server.CLOUD_SQL
                ? dev.dataplatform.kubernetes.Cluster.Identity.GKE_WORKLOAD_IDENTITY : auth == DagsterStack.Auth.AWS_IAM ? dev.dataplatform.kubernetes.Cluster.Identity.EKS_IRSA : null, true);
        node.finish();
        if (chart.isEmpty() || server == null || name == null || auth == null) {
            return Optional.empty();
        }
        if (auth != DagsterStack.Auth.PASSWORD) {
            DagsterStack.iamAuthSupported(chart.get())
                    .ifPresent(problem -> node.error("chartVersion", problem + " (or set database.auth: password)"));
        }
        return Optional.of(new DagsterConfig(chart.get(), namespace, account, server, name, auth, login, store, key, roleArn,
                cidr, replicas, runs, memory, duckDb, locations, ingress, authProxy.orElse(null)));
    }

    /**
     * dagster.authProxy: oauth2-proxy (OIDC) in front of the webserver; on by default outside dev, where
     * it then needs its issuer, client and secrets. {@code enabled: false} turns it off on purpose.
     */
    static Optional<DagsterStack.AuthProxy> authProxy(ConfigNode dagster, Environment environment) {
        var found = dagster.object("authProxy");
        boolean byDefault = environment != Environment.DEV;
        if (found.isEmpty()) {
            if (byDefault) {
                dagster.error("authProxy", "is required outside dev: Dagster's UI has no login of its own, so an "
                        + "authenticating proxy stands in front of it ({oidcIssuerUrl, clientId, secretStore, clientSecretRef, "
                        + "cookieSecretRef}); set {enabled: false} to expose it without one on purpose");
            }
            return Optional.empty();
        }
        var node = found.get();
        boolean enabled = node.bool("enabled").orElse(true);
        if (!enabled) {
            node.finish();
            return Optional.empty();
        }
        var issuer = node.requireString("oidcIssuerUrl", OIDC_ISSUER, "an https URL such as https://accounts.google.com");
        var clientId = node.requireString("clientId", CLIENT_ID, "the OAuth client's id (letters, digits, '.', '_', '-', '@')");
        var domains = node.strings("emailDomains", EMAIL_DOMAIN, "an e-mail domain such as acme.com, or *");
        var store = node.requireString("secretStore", STORE, "a ClusterSecretStore name");
        var clientSecret = node.requireString("clientSecretRef", REMOTE_KEY, "the OAuth client secret's key in that store");
        var cookieSecret = node.requireString("cookieSecretRef", REMOTE_KEY, "the cookie secret's key in that store");
        node.finish();
        if (issuer.isEmpty() || clientId.isEmpty() || store.isEmpty() || clientSecret.isEmpty() || cookieSecret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DagsterStack.AuthProxy(issuer.get(), clientId.get(), domains, store.get(), clientSecret.get(),
                cookieSecret.get()));
    }

    /**
     * Cloud SQL requires client certificates (requireSsl), so Dagster reaches it only through the
     * Cloud SQL Auth Proxy, and the proxy needs a Google identity: Workload Identity of Dagster's own
     * workload, cloudSql.workloads.dagster. Password logins too: the password is checked after the
     * proxy's mTLS connection is up.
     */
    private static void proxyIdentity(ConfigNode db, String key, CloudSqlConfig c, String namespace, String account) {
        var found = c.workload(CloudSqlConfig.DAGSTER);
        if (found.isEmpty()) {
            db.error(key, "cloudSql is reachable only through the Cloud SQL Auth Proxy, which needs a Google identity: "
                    + "configure data-platform:cloudSql.workloads.dagster {serviceAccountId, namespace: " + namespace
                    + ", kubernetesServiceAccount: " + account + "} (Dagster's own service account)");
            return;
        }
        var workload = found.get();
        if (!workload.namespace().equals(namespace) || !workload.kubernetesServiceAccount().equals(account)) {
            db.error(key, "cloudSql is reachable only through the Cloud SQL Auth Proxy with cloudSql.workloads.dagster's Google "
                    + "identity: run Dagster as that ServiceAccount; allowed: dagster.namespace: " + workload.namespace()
                    + " and dagster.serviceAccount: " + workload.kubernetesServiceAccount() + " (now " + namespace + "/" + account + ")");
        }
        if (workload.createKubernetesResources()) {
            db.error(key, "cloudSql.workloads.dagster.createKubernetesResources must be false: Dagster creates that namespace and ServiceAccount");
        }
    }

    private static void cloudSqlDatabase(ConfigNode db, Optional<CloudSqlConfig> cloudSql, String name, boolean iam,
                                         String login, String namespace, String account) {
        if (cloudSql.isEmpty()) {
            if (!db.context().failed("data-platform:cloudSql")) {
                db.error("server", "cloudSql is not configured in this stack (data-platform:cloudSql)");
            }
            return;
        }
        var c = cloudSql.get();
        if (name != null && c.databases().stream().noneMatch(d -> d.name().equals(name))) {
            db.error("name", "'" + name + "' is not a database of data-platform:cloudSql; its databases: "
                    + String.join(", ", c.databases().stream().map(DatabaseModel::name).toList()));
        }
        if (!iam) {
            if (login == null) {
                db.error("login", "is required with auth password: the login whose password the store holds");
            } else if (name != null) {
                var owner = c.databases().stream().filter(d -> d.name().equals(name))
                        .flatMap(d -> d.logins().stream()).filter(l -> l.name().equals(login)).findFirst();
                if (owner.isEmpty() || owner.get().access() != Access.OWNER) {
                    db.error("login", "'" + login + "' must be a login of cloudSql database '" + name
                            + "' with access owner: the Dagster instance creates its tables");
                }
            }
            proxyIdentity(db, "server", c, namespace, account);
            return;
        }
        if (login != null) {
            db.error("login", "is not used with cloudSql and auth iam: the instance logs in as cloudSql.workloads.dagster's IAM user");
        }
        var workload = c.workload(CloudSqlConfig.DAGSTER);
        if (workload.isEmpty()) {
            db.error("auth", "iam on cloudSql needs data-platform:cloudSql.workloads.dagster (its IAM user and Workload Identity)");
            return;
        }
        proxyIdentity(db, "auth", c, namespace, account);
        if (name != null && workload.get().databases().get(name) != Access.OWNER) {
            db.error("auth", "iam on cloudSql logs in as cloudSql.workloads.dagster's IAM user, which is not an owner of '" + name
                    + "' and cannot create the instance's tables: set cloudSql.workloads.dagster.databases." + name
                    + ": owner, or use auth: password with an owner login");
        }
    }

    private static void rdsDatabase(ConfigNode db, Optional<RdsConfig> rds, String name, String login) {
        if (rds.isEmpty()) {
            if (!db.context().failed("data-platform:rds")) {
                db.error("server", "rds is not configured in this stack (data-platform:rds)");
            }
            return;
        }
        var found = rds.get().databases().stream().filter(d -> d.name().equals(name)).findFirst();
        if (name != null && found.isEmpty()) {
            db.error("name", "'" + name + "' is not a database of data-platform:rds; its databases: "
                    + String.join(", ", rds.get().databases().stream().map(DatabaseModel::name).toList()));
            return;
        }
        if (login == null) {
            db.error("login", "is required with rds: a login of database '" + name + "'");
            return;
        }
        var match = found.flatMap(d -> d.logins().stream().filter(l -> l.name().equals(login)).findFirst());
        if (match.isEmpty()) {
            db.error("login", "'" + login + "' is not a login of rds database '" + name + "'; its logins: "
                    + String.join(", ", found.map(d -> d.logins().stream().map(Login::name).toList()).orElse(List.of())));
        } else if (match.get().access() != Access.OWNER) {
            db.error("login", "'" + login + "' has access " + match.get().access().name().toLowerCase()
                    + ": the Dagster instance creates its tables, give it access owner");
        }
    }

    static Optional<ObservabilityConfig> observability(ConfigNode root, Environment environment, Optional<CloudSqlConfig> cloudSql,
                                                       Optional<LocalConfig> local) {
        var found = root.object("observability");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        String namespace = node.string("namespace", Rules::dnsLabel).orElse("observability");
        var chart = Optional.ofNullable(node.string("collectorChartVersion", PinnedVersions.COLLECTOR_CHART::check)
                .orElse(node.has("collectorChartVersion") ? null : PinnedVersions.COLLECTOR_CHART.version()));
        ObservabilityStack.OtlpExport export = node.object("export").flatMap(e -> {
            var endpoint = e.requireString("endpoint", "an https:// OTLP/HTTP endpoint", dev.dataplatform.core.Urls::https);
            var header = e.requireString("headerName", HEADER, "the auth header's name, e.g. api-key or Authorization");
            Optional<String> secret = Optional.empty();
            Optional<String> secretKey = Optional.empty();
            var headerSecret = e.object("headerSecret");
            if (headerSecret.isEmpty()) {
                e.error("headerSecret", "is required: {name, key} of the Secret in the namespace holding the header's value");
            } else {
                var h = headerSecret.get();
                secret = h.requireString("name", "a Secret in the namespace", Rules::dnsLabel);
                secretKey = h.requireString("key", Pattern.compile("[-._A-Za-z0-9]+"), "a key of that Secret");
                h.finish();
            }
            e.finish();
            if (endpoint.isEmpty() || header.isEmpty() || secret.isEmpty() || secretKey.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ObservabilityStack.OtlpExport(endpoint.get(), header.get(), secret.get(), secretKey.get()));
        }).orElse(null);
        if (!node.has("export") && environment != Environment.DEV) {
            node.error("export", "is required in " + environment.id() + ": {endpoint, headerName, headerSecret: {name, key}} "
                    + "(Jaeger runs in dev only)");
        }
        if (node.has("export") && environment == Environment.DEV) {
            node.error("export", "is not used in dev: the collector exports to the in-cluster Jaeger");
        }
        String jaeger = node.string("jaegerImage", i -> PinnedVersions.checkImage(PinnedVersions.JAEGER_IMAGE, i)).orElse(null);
        String marquezImage = node.string("marquezImage", i -> PinnedVersions.checkImage(PinnedVersions.MARQUEZ_IMAGE, i))
                .orElse(null);
        ObservabilityConfig.Marquez marquez = node.object("marquez").flatMap(m -> {
            var servers = new LinkedHashMap<String, ObservabilityConfig.MarquezServer>();
            servers.put("cloudSql", ObservabilityConfig.MarquezServer.CLOUD_SQL);
            servers.put("local", ObservabilityConfig.MarquezServer.LOCAL);
            var server = m.oneOf("server", servers).orElse(m.has("server") ? null : ObservabilityConfig.MarquezServer.CLOUD_SQL);
            var database = m.requireString("database", dev.dataplatform.access.Names.IDENTIFIER, dev.dataplatform.access.Names.IDENTIFIER_RULE);
            var user = m.requireRoleName("user");
            if (server == ObservabilityConfig.MarquezServer.LOCAL) {
                return localMarquez(m, local, database, user);
            }
            var store = m.requireString("passwordStore", STORE, "a ClusterSecretStore name");
            var key = m.requireString("passwordKey", REMOTE_KEY, "the secret's key in that store");
            m.finish();
            if (server == null || database.isEmpty() || user.isEmpty() || store.isEmpty() || key.isEmpty()) {
                return Optional.empty();
            }
            if (cloudSql.isEmpty()) {
                if (m.context().failed("data-platform:cloudSql")) {
                    return Optional.empty();
                }
                m.error("database", "Marquez runs on Cloud SQL (data-platform:cloudSql is not configured); RDS logins "
                        + "authenticate with IAM tokens only, which Marquez cannot use");
                return Optional.empty();
            }
            var db = cloudSql.get().databases().stream().filter(d -> d.name().equals(database.get())).findFirst();
            if (db.isEmpty()) {
                m.error("database", "'" + database.get() + "' is not a database of data-platform:cloudSql");
                return Optional.empty();
            }
            var login = db.get().logins().stream().filter(l -> l.name().equals(user.get())).findFirst();
            if (login.isEmpty() || login.get().access() != Access.OWNER) {
                m.error("user", "'" + user.get() + "' must be a login of database '" + database.get()
                        + "' with access owner (Marquez migrates its schema)");
                return Optional.empty();
            }
            var identity = cloudSql.get().workload(CloudSqlConfig.MARQUEZ);
            if (identity.isEmpty()) {
                m.error("database", "Marquez reaches Cloud SQL through the Auth Proxy sidecar, which authenticates as Marquez's "
                        + "own Google service account: configure data-platform:cloudSql.workloads.marquez {serviceAccountId, "
                        + "namespace: " + namespace + ", kubernetesServiceAccount: " + ObservabilityStack.MARQUEZ_SERVICE_ACCOUNT + "}");
                return Optional.empty();
            }
            if (!identity.get().namespace().equals(namespace)
                    || !identity.get().kubernetesServiceAccount().equals(ObservabilityStack.MARQUEZ_SERVICE_ACCOUNT)) {
                m.error("database", "Marquez runs as ServiceAccount " + namespace + "/" + ObservabilityStack.MARQUEZ_SERVICE_ACCOUNT
                        + " but cloudSql.workloads.marquez names " + identity.get().namespace() + "/"
                        + identity.get().kubernetesServiceAccount() + "; allowed: namespace: " + namespace
                        + ", kubernetesServiceAccount: " + ObservabilityStack.MARQUEZ_SERVICE_ACCOUNT);
                return Optional.empty();
            }
            return Optional.of(new ObservabilityConfig.Marquez(database.get(), user.get(), store.get(), key.get()));
        }).orElse(null);
        var clients = node.checkedStrings("telemetryClients", Rules::dnsLabel);
        // Marquez on Cloud SQL runs the Auth Proxy as a Google identity; on the local PostgreSQL it needs none.
        ClustersConfigParser.place(node, ClustersConfig.Component.OBSERVABILITY, node.has("marquez")
                && (marquez == null || marquez.server() == ObservabilityConfig.MarquezServer.CLOUD_SQL)
                ? dev.dataplatform.kubernetes.Cluster.Identity.GKE_WORKLOAD_IDENTITY : null, true);
        node.finish();
        return chart.map(c -> new ObservabilityConfig(namespace, c, export, jaeger, marquezImage, marquez, clients));
    }


    /**
     * observability.marquez with server local: a database of data-platform:local with the user as its owner; the password
     * is generated in the cluster and read through the local ClusterSecretStore (no passwordStore/passwordKey).
     */
    private static Optional<ObservabilityConfig.Marquez> localMarquez(ConfigNode m, Optional<LocalConfig> local,
                                                                      Optional<String> database, Optional<String> user) {
        for (String key : List.of("passwordStore", "passwordKey")) {
            if (m.has(key)) {
                m.string(key);
                m.error(key, "is not used with server local: the password is generated in the cluster (data-platform:local); "
                        + "remove passwordStore and passwordKey");
            }
        }
        m.finish();
        if (database.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        if (local.isEmpty()) {
            if (!m.context().failed("data-platform:local")) {
                m.error("server", "is local but the stack has no data-platform:local (the in-cluster PostgreSQL)");
            }
            return Optional.empty();
        }
        var db = local.get().databases().stream().filter(d -> d.name().equals(database.get())).findFirst();
        if (db.isEmpty()) {
            m.error("database", "'" + database.get() + "' is not a database of data-platform:local; allowed: "
                    + String.join(", ", local.get().databases().stream().map(DatabaseModel::name).toList()));
            return Optional.empty();
        }
        var login = db.get().logins().stream().filter(l -> l.name().equals(user.get())).findFirst();
        if (login.isEmpty() || login.get().access() != Access.OWNER) {
            m.error("user", "'" + user.get() + "' must be a login of local database '" + database.get()
                    + "' with access owner (Marquez migrates its schema); its owner logins: " + String.join(", ", db.get().logins()
                    .stream().filter(l -> l.access() == Access.OWNER).map(Login::name).toList()));
            return Optional.empty();
        }
        return Optional.of(new ObservabilityConfig.Marquez(database.get(), user.get(),
                dev.dataplatform.local.LocalServices.CREDENTIALS_STORE,
                dev.dataplatform.local.LocalServices.loginPasswordRef(user.get()), ObservabilityConfig.MarquezServer.LOCAL));
    }

    /** Dagster's database on data-platform:local's PostgreSQL: it must be listed there with the login as its owner. */
    private static void localDatabase(ConfigNode db, Optional<LocalConfig> local, String name, String login) {
        if (local.isEmpty()) {
            db.error("server", "is local but the stack has no data-platform:local (the in-cluster PostgreSQL)");
            return;
        }
        if (name == null) {
            return;
        }
        var database = local.get().databases().stream().filter(d -> d.name().equals(name)).findFirst();
        if (database.isEmpty()) {
            db.error("name", "'" + name + "' is not a database of data-platform:local; allowed: "
                    + String.join(", ", local.get().databases().stream().map(DatabaseModel::name).toList()));
            return;
        }
        if (login == null) {
            db.error("login", "is required with local: the login Dagster uses (an owner login of " + name + ")");
            return;
        }
        boolean owner = database.get().logins().stream().anyMatch(l -> l.name().equals(login) && l.access() == Access.OWNER);
        if (!owner) {
            db.error("login", "'" + login + "' is not an owner login of local database " + name
                    + ": Dagster creates its tables, so it needs {name: " + login + ", access: owner} there");
        }
    }
}
