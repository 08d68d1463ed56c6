package dev.dataplatform.config;

import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.aws.RdsProxy;
import dev.dataplatform.aws.RdsRules;
import dev.dataplatform.core.Environment;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.dataplatform.config.ConfigNode.ANY;

/** Reads data-platform:rds with the component's own rules ({@link RdsRules}), reported with key paths. */
final class RdsConfigParser {
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d");
    static final Pattern PARAMETER = Pattern.compile("[a-z][a-z0-9_.]{0,127}");

    private RdsConfigParser() {
    }

    static String defaultInstanceClass(Environment environment) {
        return dev.dataplatform.aws.RdsRules.defaultInstanceClass(environment);
    }

    static int defaultMaxStorageGb(Environment environment) {
        return dev.dataplatform.aws.RdsRules.defaultMaxStorageGb(environment);
    }

    static Optional<RdsConfig> parse(ConfigNode root, Environment environment) {
        var found = root.object("rds");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var node = found.get();
        var region = Regions.check(node, "region", node.requireString("region", REGION, "an AWS region such as eu-west-1"),
                Regions.AWS);
        var identifier = node.checked("identifier", Optional.of(node.string("identifier").orElse("data-platform-" + environment.id())),
                RdsRules::identifier);
        var version = node.checked("engineVersion", Optional.of(node.string("engineVersion").orElse("16")), RdsRules::engineVersion);
        var instanceClass = node.checked("instanceClass", Optional.of(node.string("instanceClass")
                .orElse(defaultInstanceClass(environment))), RdsRules::instanceClass);
        int allocated = node.integer("allocatedStorageGb", 20, 65536).orElse(20);
        int max = node.integer("maxAllocatedStorageGb", 20, 65536).orElse(defaultMaxStorageGb(environment));
        if (max <= allocated) {
            node.error("maxAllocatedStorageGb", max + " must be more than allocatedStorageGb (" + allocated + ")");
        }
        var vpc = node.requireString("vpcId", "a VPC ID such as vpc-0a1b2c3d4e5f67890", RdsRules::vpcId);
        var subnets = node.checkedStrings("subnetIds", RdsRules::subnetId);
        if (subnets.size() < 2) {
            node.error("subnetIds", "needs at least 2 private subnets in different availability zones; given " + subnets.size());
        }
        var groups = node.checkedStrings("allowedSecurityGroupIds", RdsRules::securityGroupId);
        var cidrs = node.checkedStrings("allowedCidrs", RdsRules::cidr);
        if (groups.isEmpty() && cidrs.isEmpty() && !node.has("allowedSecurityGroupIds") && !node.has("allowedCidrs")) {
            node.error("allowedSecurityGroupIds", "nobody could connect: give allowedSecurityGroupIds or allowedCidrs (private ranges)");
        }
        var kms = node.string("kmsKeyId", RdsRules::kmsKey).orElse(null);
        // The account the instance lives in: its service roles trust RDS only for requests from it (aws:SourceAccount).
        var accountId = node.string("accountId", dev.dataplatform.stackgres.TenantRules::awsAccountId).orElse(null);
        var backupWindow = node.string("backupWindow", RdsRules::backupWindow).orElse("02:00-03:00");
        var maintenanceWindow = node.string("maintenanceWindow", RdsRules::maintenanceWindow)
                .orElse("sun:03:30-sun:04:30");
        int monitoring = node.integer("monitoringIntervalSeconds", 0, 60).orElse(60);
        RdsRules.monitoringInterval(monitoring).ifPresent(p -> node.error("monitoringIntervalSeconds", p));
        var username = node.checked("masterUsername", Optional.of(node.string("masterUsername").orElse("platform_admin")),
                v -> RdsRules.masterUsername(v).or(() -> dev.dataplatform.access.Names.roleNameProblem(v)));
        var parameters = node.stringMap("parameters", PARAMETER, "a PostgreSQL parameter name such as work_mem", ANY, "a non-empty value");
        parameters.forEach((parameter, value) -> dev.dataplatform.core.PostgresSettings.check(dev.dataplatform.core.PostgresSettings.Service.RDS,
                parameter, value).ifPresent(problem -> node.error("parameters." + parameter, problem)));
        if ("0".equals(parameters.get("rds.force_ssl"))) {
            node.error("parameters.rds.force_ssl", "cannot be 0: connections require TLS");
        }
        var ssm = node.string("ssmParameterName", RdsRules::ssmParameterName).orElse(null);
        List<DatabaseModel> databases = CloudSqlConfigParser.databases(node);
        CloudSqlConfigParser.checkServer(node, databases, false);
        boolean manageRoles = node.bool("manageRoles").orElse(true);
        var logicalBackups = RdsLogicalBackupConfigParser.parse(node, environment, databases);
        var proxy = node.object("proxy").map(p -> proxy(p, username.orElse(null), databases, logicalBackups.orElse(null), kms)).orElse(null);
        identifier.flatMap(id -> RdsRules.roleNames(id, monitoring > 0, proxy != null)).ifPresent(p -> node.error("identifier", p));
        node.finish();
        if (region.isEmpty() || identifier.isEmpty() || version.isEmpty() || instanceClass.isEmpty() || vpc.isEmpty()
                || username.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RdsConfig(region.get(), identifier.get(), version.get(), instanceClass.get(), allocated, max,
                vpc.get(), subnets, groups, cidrs, kms, backupWindow, maintenanceWindow, monitoring, username.get(),
                java.util.Map.copyOf(parameters), ssm, List.copyOf(databases), manageRoles, logicalBackups.orElse(null), proxy,
                accountId));
    }

    /** data-platform:rds.proxy: pool settings and DBA-kept password logins; checked with {@link RdsProxy}'s rules. */
    private static RdsProxy.Settings proxy(ConfigNode p, String masterUsername, List<DatabaseModel> databases,
                                           RdsLogicalBackupConfig backups, String kmsKeyId) {
        var defaults = RdsProxy.Settings.defaults();
        int max = p.integer("maxConnectionsPercent", 1, 100).orElse(defaults.maxConnectionsPercent());
        int idle = p.integer("maxIdleConnectionsPercent", 0, 100).orElse(Math.min(defaults.maxIdleConnectionsPercent(), max));
        if (idle > max) {
            p.error("maxIdleConnectionsPercent", idle + " is out of range; allowed: 0 to maxConnectionsPercent (" + max + ")");
        }
        int borrow = p.integer("connectionBorrowTimeoutSeconds", 0, RdsProxy.Settings.MAX_BORROW_TIMEOUT_SECONDS)
                .orElse(defaults.connectionBorrowTimeoutSeconds());
        // Every rds_iam login: the databases' and the logical backup's and restore drill's (RdsLogicalBackup grants them rds_iam).
        var iamLogins = new java.util.ArrayList<>(databases.stream().flatMap(d -> d.logins().stream()).map(l -> l.name()).toList());
        if (backups != null) {
            iamLogins.add(backups.login());
            if (backups.restoreDrill() != null) {
                iamLogins.add(backups.restoreDrill().login());
            }
        }
        var names = new java.util.HashSet<String>();
        var logins = p.objects("loginSecrets", l -> {
            var user = l.requireString("username", "a PostgreSQL login a DBA manages with a password", v -> RdsRules.masterUsername(v).or(() -> dev.dataplatform.access.Names.roleNameProblem(v)));
            var arn = l.requireString("secretArn", "the ARN of the Secrets Manager secret holding its username and password",
                    v -> RdsProxy.SECRET_ARN.matcher(v).matches() ? Optional.empty()
                            : Optional.of("'" + v + "' is not a Secrets Manager secret ARN; allowed: arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME"));
            l.finish();
            if (user.isEmpty() || arn.isEmpty()) {
                return Optional.empty();
            }
            var login = new RdsProxy.LoginSecret(user.get(), arn.get());
            RdsProxy.loginSecret(login, masterUsername, iamLogins).ifPresent(problem -> l.error("username", problem));
            if (!names.add(user.get())) {
                l.error("username", "'" + user.get() + "' is listed twice: one secret per login");
            }
            return Optional.of(login);
        });
        boolean masterUser = p.bool("masterUser").orElse(false);
        // Not a follow-on error: an RDS section that already failed (no region, VPC, ...) says enough.
        String rdsPath = p.path().substring(0, p.path().lastIndexOf('.'));
        if (logins.isEmpty() && !p.context().failed(rdsPath)) {
            p.error("loginSecrets", "is required: the proxy pools password logins a DBA keeps in Secrets Manager, each with "
                    + "only the grants its application needs (the access model's rds_iam logins cannot be proxied, and the master "
                    + "user is never pooled for applications); list at least one {username, secretArn}");
        }
        if (kmsKeyId != null && !RdsProxy.KMS_KEY_ARN.matcher(kmsKeyId).matches()) {
            p.error(null, "needs data-platform:rds.kmsKeyId as a key ARN, not an alias: the proxy role's kms:Decrypt is scoped "
                    + "to the key; allowed: arn:aws:kms:REGION:ACCOUNT:key/ID, or no kmsKeyId");
        }
        p.finish();
        return new RdsProxy.Settings(max, idle, borrow, logins, masterUser);
    }
}
