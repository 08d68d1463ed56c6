package dev.dataplatform.aws;

import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.iam.Policy;
import com.pulumi.aws.iam.PolicyArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.rds.Instance;
import com.pulumi.aws.rds.Proxy;
import com.pulumi.aws.rds.ProxyArgs;
import com.pulumi.aws.rds.ProxyDefaultTargetGroup;
import com.pulumi.aws.rds.ProxyDefaultTargetGroupArgs;
import com.pulumi.aws.rds.ProxyTarget;
import com.pulumi.aws.rds.ProxyTargetArgs;
import com.pulumi.aws.rds.inputs.ProxyAuthArgs;
import com.pulumi.aws.rds.inputs.ProxyDefaultTargetGroupConnectionPoolConfigArgs;
import com.pulumi.aws.vpc.SecurityGroupEgressRule;
import com.pulumi.aws.vpc.SecurityGroupEgressRuleArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The optional RDS Proxy in front of an {@link RdsDatabase}: clients must use TLS and an IAM token
 * ({@code requireTls}, {@code iamAuth: REQUIRED}); the proxy logs in to PostgreSQL with a username and
 * password it reads from Secrets Manager through its own role.
 *
 * <p>What it can proxy. pulumi-aws 6.83.0's {@code rds.Proxy} has no {@code defaultAuthScheme} (AWS's
 * "end-to-end IAM"), so the proxy-to-database leg is always a password login from a secret. The
 * access model's logins are members of {@code rds_iam} and have no password: RDS refuses them a
 * password login, so they cannot be proxied. The proxy pools password logins a DBA keeps in Secrets
 * Manager ({@link LoginSecret}; the program only references those secrets by ARN), each granted only
 * what its application needs; at least one is required. The master user is proxied only on request
 * ({@code masterUser}, for break-glass work through the proxy), and the connect policy the stack
 * exports for applications never covers it: an application that attaches that policy can connect as
 * the pooled logins only. See docs/connectivity.md ("RDS Proxy").
 */
public final class RdsProxy {
    /** aws:rds/proxy engine family for PostgreSQL targets. */
    public static final String ENGINE_FAMILY = "POSTGRESQL";
    public static final String AUTH_SCHEME = "SECRETS";
    public static final String IAM_REQUIRED = "REQUIRED";
    /** The proxy's default target group is always named "default". */
    public static final String TARGET_GROUP = "default";
    public static final Pattern SECRET_ARN = Pattern.compile("arn:aws(-[a-z]+)*:secretsmanager:[a-z]{2}(-gov)?-[a-z]+-\\d:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}");
    public static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws(-[a-z]+)*:kms:[a-z]{2}(-gov)?-[a-z]+-\\d:\\d{12}:key/[A-Za-z0-9-]{1,128}");
    static final Pattern PROXY_ARN = Pattern.compile("arn:(aws(-[a-z]+)*):rds:([a-z0-9-]+):(\\d{12}):db-proxy:(prx-[a-z0-9]+)");

    /** A password login a DBA keeps in Secrets Manager (JSON {@code username}, {@code password}); never read by the program. */
    public record LoginSecret(String username, String secretArn) {
    }

    /**
     * Pool settings of the default target group, as percentages of the instance's {@code max_connections}.
     * Defaults: half of max_connections (the access model's IAM logins still connect directly and need
     * the rest), a quarter kept idle, AWS's 120 s borrow timeout.
     */
    public record Settings(int maxConnectionsPercent, int maxIdleConnectionsPercent, int connectionBorrowTimeoutSeconds,
                           List<LoginSecret> loginSecrets, boolean masterUser) {
        public static final int DEFAULT_MAX_CONNECTIONS_PERCENT = 50;
        public static final int DEFAULT_MAX_IDLE_CONNECTIONS_PERCENT = 25;
        public static final int DEFAULT_BORROW_TIMEOUT_SECONDS = 120;
        public static final int MAX_BORROW_TIMEOUT_SECONDS = 300;

        public Settings {
            loginSecrets = loginSecrets == null ? List.of() : List.copyOf(loginSecrets);
        }

        /** Pooling {@code loginSecrets} only (the master user not proxied). */
        public Settings(int maxConnectionsPercent, int maxIdleConnectionsPercent, int connectionBorrowTimeoutSeconds,
                        List<LoginSecret> loginSecrets) {
            this(maxConnectionsPercent, maxIdleConnectionsPercent, connectionBorrowTimeoutSeconds, loginSecrets, false);
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_MAX_CONNECTIONS_PERCENT, DEFAULT_MAX_IDLE_CONNECTIONS_PERCENT,
                    DEFAULT_BORROW_TIMEOUT_SECONDS, List.of());
        }
    }

    private RdsProxy() {
    }

    /** What is wrong with the settings (each a "key problem" phrase), given the instance's master user and IAM logins. */
    public static List<String> problems(Settings s, String masterUsername, List<String> iamLogins, String kmsKeyId) {
        var problems = new ArrayList<String>();
        if (s.maxConnectionsPercent() < 1 || s.maxConnectionsPercent() > 100) {
            problems.add("maxConnectionsPercent " + s.maxConnectionsPercent() + " is out of range; allowed: 1 to 100");
        }
        if (s.maxIdleConnectionsPercent() < 0 || s.maxIdleConnectionsPercent() > s.maxConnectionsPercent()) {
            problems.add("maxIdleConnectionsPercent " + s.maxIdleConnectionsPercent() + " is out of range; allowed: 0 to "
                    + "maxConnectionsPercent (" + s.maxConnectionsPercent() + ")");
        }
        if (s.connectionBorrowTimeoutSeconds() < 0 || s.connectionBorrowTimeoutSeconds() > Settings.MAX_BORROW_TIMEOUT_SECONDS) {
            problems.add("connectionBorrowTimeoutSeconds " + s.connectionBorrowTimeoutSeconds() + " is out of range; allowed: 0 to "
                    + Settings.MAX_BORROW_TIMEOUT_SECONDS);
        }
        if (s.loginSecrets().isEmpty()) {
            problems.add("loginSecrets is empty: the proxy pools password logins a DBA keeps in Secrets Manager, each with only "
                    + "the grants its application needs; list at least one (the master user is never pooled for applications)");
        }
        var seen = new java.util.HashSet<String>();
        for (var login : s.loginSecrets()) {
            loginSecret(login, masterUsername, iamLogins).ifPresent(p -> problems.add("loginSecrets " + p));
            if (login.username() != null && !seen.add(login.username())) {
                problems.add("loginSecrets '" + login.username() + "' is listed twice");
            }
        }
        if (kmsKeyId != null && !KMS_KEY_ARN.matcher(kmsKeyId).matches()) {
            problems.add("kmsKeyId '" + kmsKeyId + "' is an alias: the proxy role's kms:Decrypt is scoped to a key; allowed: "
                    + "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) when the proxy is on");
        }
        return problems;
    }

    /** One DBA-kept login: a secret ARN, and not the master user nor an IAM login (rds_iam refuses password logins). */
    public static Optional<String> loginSecret(LoginSecret login, String masterUsername, List<String> iamLogins) {
        if (login.secretArn() == null || !SECRET_ARN.matcher(login.secretArn()).matches()) {
            return Optional.of("'" + login.secretArn() + "' is not a Secrets Manager secret ARN; allowed: "
                    + "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
        }
        if (login.username() == null || RdsRules.masterUsername(login.username()).isPresent()) {
            return Optional.of("username '" + login.username() + "' is not a PostgreSQL login name");
        }
        if (login.username().equals(masterUsername)) {
            return Optional.of("'" + login.username() + "' is the master user: the proxy already uses its RDS-managed secret");
        }
        if (iamLogins.contains(login.username())) {
            return Optional.of("'" + login.username() + "' is a login of the access model: it is a member of rds_iam, which "
                    + "refuses the password login a proxy makes; allowed: a password login a DBA manages outside the access model");
        }
        return Optional.empty();
    }

    /**
     * The {@code rds-db:connect} resource for a user through a proxy: the proxy's resource ID is the last
     * part of its ARN ({@code arn:aws:rds:R:A:db-proxy:prx-...}), and the user ARN is
     * {@code arn:aws:rds-db:R:A:dbuser:prx-.../USER}.
     */
    public static String connectArn(String proxyArn, String username) {
        var m = PROXY_ARN.matcher(proxyArn);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an RDS Proxy ARN: " + proxyArn);
        }
        return "arn:" + m.group(1) + ":rds-db:" + m.group(3) + ":" + m.group(4) + ":dbuser:" + m.group(5) + "/" + username;
    }

    /** The proxy's role: read exactly the proxied secrets; decrypt with the CMK only through Secrets Manager. */
    static String rolePolicy(List<String> secretArns, String kmsKeyId, String region) {
        var statements = new ArrayList<com.google.gson.JsonObject>();
        statements.add(IamPolicy.allow(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), secretArns));
        if (kmsKeyId != null) {
            statements.add(IamPolicy.when(IamPolicy.allow(List.of("kms:Decrypt"), List.of(kmsKeyId)),
                    "StringEquals", "kms:ViaService", "secretsmanager." + region + ".amazonaws.com"));
        }
        return IamPolicy.document(statements.toArray(com.google.gson.JsonObject[]::new));
    }

    /** What {@link #declare} made: the endpoint, the proxy's ARN and the clients' connect policy. */
    record Declared(Output<String> endpoint, Output<String> arn, Output<String> connectPolicyArn) {
    }

    /**
     * Declares the proxy next to the instance (children of {@code parent}, named {@code <name>-proxy...}): its
     * security group (5432 from whoever may reach the instance, out only to the instance and HTTPS), the
     * ingress on the instance's group from the proxy, the role, the proxy, its pool and target, and an IAM
     * policy clients are given to connect through it as the proxied users.
     */
    static Declared declare(Resource parent, String name, RdsDatabase.Args args, Settings s, Instance instance,
                            SecurityGroup databaseGroup, Output<String> masterSecretArn, Output<String> vpcId,
                            Output<List<String>> subnetIds) {
        var child = CustomResourceOptions.builder().parent(parent).build();
        var group = new SecurityGroup(name + "-proxy", SecurityGroupArgs.builder()
                .name(args.identifier + "-proxy")
                .description("RDS Proxy of " + args.identifier + ": 5432 from allowed groups and private ranges only")
                .vpcId(vpcId)
                .tags(args.tags)
                .build(), child);
        for (String from : args.allowedSecurityGroupIds) {
            new SecurityGroupIngressRule(name + "-proxy-from-" + from, SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(group.id()).referencedSecurityGroupId(from)
                    .ipProtocol("tcp").fromPort(5432).toPort(5432)
                    .description("PostgreSQL through the proxy from " + from)
                    .build(), child);
        }
        for (String cidr : args.allowedCidrs) {
            new SecurityGroupIngressRule(name + "-proxy-from-" + cidr.replace('/', '-'), SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(group.id()).cidrIpv4(cidr)
                    .ipProtocol("tcp").fromPort(5432).toPort(5432)
                    .description("PostgreSQL through the proxy from " + cidr)
                    .build(), child);
        }
        new SecurityGroupEgressRule(name + "-proxy-to-database", SecurityGroupEgressRuleArgs.builder()
                .securityGroupId(group.id()).referencedSecurityGroupId(databaseGroup.id())
                .ipProtocol("tcp").fromPort(5432).toPort(5432)
                .description("the proxy's pool to the instance")
                .build(), child);
        new SecurityGroupEgressRule(name + "-proxy-to-https", SecurityGroupEgressRuleArgs.builder()
                .securityGroupId(group.id()).cidrIpv4("0.0.0.0/0")
                .ipProtocol("tcp").fromPort(443).toPort(443)
                .description("the proxy reads its secrets from Secrets Manager (NAT or VPC endpoint)")
                .build(), child);
        new SecurityGroupIngressRule(name + "-from-proxy", SecurityGroupIngressRuleArgs.builder()
                .securityGroupId(databaseGroup.id()).referencedSecurityGroupId(group.id())
                .ipProtocol("tcp").fromPort(5432).toPort(5432)
                .description("PostgreSQL from the RDS Proxy")
                .build(), child);

        var loginArns = s.loginSecrets().stream().map(LoginSecret::secretArn).toList();
        var secretArns = masterSecretArn.applyValue(master -> {
            var all = new ArrayList<String>();
            if (s.masterUser()) {
                all.add(master);
            }
            all.addAll(loginArns);
            return List.copyOf(all);
        });
        var role = new Role(name + "-proxy", RoleArgs.builder()
                .name(args.identifier + "-rds-proxy")
                .assumeRolePolicy(IamPolicy.serviceTrust("rds.amazonaws.com", args.accountId))
                .tags(args.tags)
                .build(), child);
        var rolePolicy = new RolePolicy(name + "-proxy-secrets", RolePolicyArgs.builder()
                .role(role.name())
                .policy(secretArns.applyValue(arns -> rolePolicy(arns, args.kmsKeyId, args.region)))
                .build(), child);

        var auths = new ArrayList<Output<ProxyAuthArgs>>();
        if (s.masterUser()) {
            auths.add(masterSecretArn.applyValue(arn -> auth(arn, "RDS-managed master secret of " + args.identifier
                    + " (break-glass; not in the exported connect policy)")));
        }
        for (var login : s.loginSecrets()) {
            auths.add(Output.of(auth(login.secretArn(), "login " + login.username() + " (secret kept by a DBA)")));
        }
        var proxy = new Proxy(name + "-proxy", ProxyArgs.builder()
                .name(args.identifier)
                .engineFamily(ENGINE_FAMILY)
                .requireTls(true)
                .auths(Output.all(auths))
                .roleArn(role.arn())
                .vpcSubnetIds(subnetIds)
                .vpcSecurityGroupIds(group.id().applyValue(List::of))
                .debugLogging(false)
                .tags(args.tags)
                .build(), CustomResourceOptions.builder().parent(parent).dependsOn(rolePolicy).build());
        var pool = new ProxyDefaultTargetGroup(name + "-proxy", ProxyDefaultTargetGroupArgs.builder()
                .dbProxyName(proxy.name())
                .connectionPoolConfig(ProxyDefaultTargetGroupConnectionPoolConfigArgs.builder()
                        .maxConnectionsPercent(s.maxConnectionsPercent())
                        .maxIdleConnectionsPercent(s.maxIdleConnectionsPercent())
                        .connectionBorrowTimeout(s.connectionBorrowTimeoutSeconds())
                        .build())
                .build(), child);
        new ProxyTarget(name + "-proxy", ProxyTargetArgs.builder()
                .dbProxyName(proxy.name())
                .targetGroupName(pool.name())
                .dbInstanceIdentifier(instance.identifier())
                .build(), child);

        // The pooled logins only: never the master user, even when it is proxied.
        var users = s.loginSecrets().stream().map(LoginSecret::username).toList();
        var connect = new Policy(name + "-proxy-connect", PolicyArgs.builder()
                .name(args.identifier + "-rds-proxy-connect")
                .description("Connect through the RDS Proxy of " + args.identifier + " with IAM tokens as its pooled logins "
                        + String.join(", ", users) + " (never the master user)")
                .policy(proxy.arn().applyValue(arn -> IamPolicy.document(IamPolicy.allow(List.of("rds-db:connect"),
                        users.stream().map(u -> connectArn(arn, u)).toList()))))
                .tags(args.tags)
                .build(), child);
        return new Declared(proxy.endpoint(), proxy.arn(), connect.arn());
    }

    private static ProxyAuthArgs auth(String secretArn, String description) {
        return ProxyAuthArgs.builder()
                .authScheme(AUTH_SCHEME)
                .iamAuth(IAM_REQUIRED)
                .secretArn(secretArn)
                .description(description)
                .build();
    }
}
