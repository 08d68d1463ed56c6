package dev.dataplatform.aws;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.rds.Instance;
import com.pulumi.aws.rds.InstanceArgs;
import com.pulumi.aws.rds.ParameterGroup;
import com.pulumi.aws.rds.ParameterGroupArgs;
import com.pulumi.aws.rds.SubnetGroup;
import com.pulumi.aws.rds.SubnetGroupArgs;
import com.pulumi.aws.rds.inputs.ParameterGroupParameterArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.secretsmanager.SecretsmanagerFunctions;
import com.pulumi.aws.secretsmanager.inputs.GetSecretVersionArgs;
import com.pulumi.aws.ssm.Parameter;
import com.pulumi.aws.ssm.ParameterArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.access.AccessModel;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.PostgresAccess;
import dev.dataplatform.postgresql.Provider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PostgreSQL on RDS for one environment: no password anywhere Pulumi sees (RDS keeps the master
 * password in Secrets Manager), IAM database authentication, private subnets and a security group
 * open only to the given groups and private ranges, TLS forced by the parameter group, encrypted
 * gp3 storage with autoscaling, backups, deletion protection and a final snapshot where data is
 * durable, Performance Insights, enhanced monitoring and CloudWatch logs; plus the access model's
 * databases and roles, through a provider that logs in as the master user with the password RDS
 * keeps in Secrets Manager, read at deploy time as a Pulumi secret (so one {@code pulumi up} on an
 * empty stack converges, with no manual SQL); every other login uses IAM tokens ({@code rds_iam}).
 *
 * <p>Children are named {@code <name>-...}; those names are URNs: never rename them.
 */
public final class RdsDatabase extends ComponentResource {
    public static final String TYPE = "dataplatform:aws:RdsDatabase";
    static final String MONITORING_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

    public final Output<String> endpoint;
    public final Output<String> address;
    public final Output<Integer> port;
    public final Output<String> arn;
    public final Output<String> resourceId;
    /** The allocated storage (GiB) as the state records it: grown by storage autoscaling once a refresh reads it back. */
    public final Output<Integer> allocatedStorageGb;
    /** The Secrets Manager secret RDS keeps the master password in (the ARN, not the password). */
    public final Output<String> masterSecretArn;
    public final Output<String> securityGroupId;
    public final Output<List<String>> databases;
    /** The RDS Proxy's endpoint (clients: TLS and IAM tokens on 5432), or null without {@code proxy}. */
    public final Output<String> proxyEndpoint;
    /** The IAM policy that lets a client connect through the proxy as its proxied users, or null without {@code proxy}. */
    public final Output<String> proxyConnectPolicyArn;
    /**
     * How the postgresql provider logs in as the master user (password read from Secrets Manager, a Pulumi secret), for
     * components that declare their own roles on this instance (the logical backups' logins).
     */
    public final Provider.Args adminConnection;

    /** See the builder for each setting and its default behaviour. */
    public static final class Args {
        String identifier;
        String engineVersion = "16";
        String instanceClass;
        int allocatedStorageGb = 20;
        int maxAllocatedStorageGb;
        String vpcId;
        List<String> subnetIds = List.of();
        /** vpcId / subnetIds given as another resource's outputs (component package); checked when known. */
        Output<String> vpcIdOutput;
        Output<List<String>> subnetIdsOutput;
        List<String> allowedSecurityGroupIds = List.of();
        List<String> allowedCidrs = List.of();
        String kmsKeyId;
        boolean multiAz;
        boolean deletionProtection;
        boolean protect;
        int backupRetentionDays;
        String backupWindow = "02:00-03:00";
        String maintenanceWindow = "sun:03:30-sun:04:30";
        int monitoringIntervalSeconds = 60;
        String masterUsername = "platform_admin";
        Map<String, String> parameters = Map.of();
        Map<String, String> tags = Map.of();
        String ssmParameterName;
        String region;
        String accountId;
        List<DatabaseModel> databases = List.of();
        RdsProxy.Settings proxy;

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private final Args a = new Args();

            /** The DB instance identifier. Required; changing it replaces the instance. */
            public Builder identifier(String v) { a.identifier = v; return this; }

            /** PostgreSQL major (or major.minor) version. Default: 16. The parameter group family follows it. */
            public Builder engineVersion(String v) { a.engineVersion = v; return this; }

            /** e.g. db.t3.medium. Required. */
            public Builder instanceClass(String v) { a.instanceClass = v; return this; }

            /** Initial gp3 storage. Default: 20 GiB. */
            public Builder allocatedStorageGb(int v) { a.allocatedStorageGb = v; return this; }

            /** Storage autoscaling ceiling. Required. */
            public Builder maxAllocatedStorageGb(int v) { a.maxAllocatedStorageGb = v; return this; }

            public Builder vpcId(String v) { a.vpcId = v; return this; }

            /** Private subnets in at least two availability zones. */
            public Builder subnetIds(List<String> v) { a.subnetIds = List.copyOf(v); return this; }

            /** The VPC as another resource's output (e.g. a VPC's id); checked when its value is known. */
            public Builder vpcIdFrom(Output<String> v) { a.vpcIdOutput = v; return this; }

            /** The private subnets as another resource's output; at least two, checked when known. */
            public Builder subnetIdsFrom(Output<List<String>> v) { a.subnetIdsOutput = v; return this; }

            /** Security groups whose members may connect on 5432. */
            public Builder allowedSecurityGroupIds(List<String> v) { a.allowedSecurityGroupIds = List.copyOf(v); return this; }

            /** Private CIDRs that may connect on 5432. */
            public Builder allowedCidrs(List<String> v) { a.allowedCidrs = List.copyOf(v); return this; }

            /** A customer-managed KMS key for storage, the master secret and Performance Insights. Default: AWS-managed keys. */
            public Builder kmsKeyId(String v) { a.kmsKeyId = v; return this; }

            public Builder multiAz(boolean v) { a.multiAz = v; return this; }

            /** RDS deletion protection, and a final snapshot on delete. */
            public Builder deletionProtection(boolean v) { a.deletionProtection = v; return this; }

            public Builder protect(boolean v) { a.protect = v; return this; }

            public Builder backupRetentionDays(int v) { a.backupRetentionDays = v; return this; }

            /** hh24:mi-hh24:mi UTC. Default: 02:00-03:00. */
            public Builder backupWindow(String v) { a.backupWindow = v; return this; }

            /** ddd:hh24:mi-ddd:hh24:mi UTC. Default: sun:03:30-sun:04:30. */
            public Builder maintenanceWindow(String v) { a.maintenanceWindow = v; return this; }

            /** Enhanced monitoring interval: 0 (off), 1, 5, 10, 15, 30 or 60. Default: 60. */
            public Builder monitoringIntervalSeconds(int v) { a.monitoringIntervalSeconds = v; return this; }

            /** Default: platform_admin. Its password lives in Secrets Manager only. */
            public Builder masterUsername(String v) { a.masterUsername = v; return this; }

            /** Extra parameters; rds.force_ssl is always 1. */
            public Builder parameters(Map<String, String> v) { a.parameters = Map.copyOf(v); return this; }

            public Builder tags(Map<String, String> v) { a.tags = Map.copyOf(v); return this; }

            /** Publish the connection details (no password) to this SSM parameter. Default: none. */
            public Builder ssmParameterName(String v) { a.ssmParameterName = v; return this; }

            /**
             * The AWS account the instance is in. The monitoring and proxy roles trust RDS only for requests from
             * it (aws:SourceAccount). Default: none, and the guardrail iam-trust-exact reports those trusts.
             */
            public Builder accountId(String v) { a.accountId = v; return this; }
            /** The AWS region of the instance (where its logins' IAM tokens are issued). Informational: resources use the AWS provider's region. */
            public Builder region(String v) { a.region = v; return this; }

            public Builder databases(List<DatabaseModel> v) { a.databases = List.copyOf(v); return this; }

            /**
             * An RDS Proxy (TLS and IAM required for clients) in the instance's subnets, with its own security
             * group and pool settings. It proxies the master user and DBA-kept password logins only
             * ({@link RdsProxy}). Default: none.
             */
            public Builder proxy(RdsProxy.Settings v) { a.proxy = v; return this; }

            public Args build() {
                var problems = new ArrayList<String>();
                require(problems, "identifier", a.identifier, RdsRules::identifier);
                RdsRules.roleNames(a.identifier, a.monitoringIntervalSeconds > 0, a.proxy != null)
                        .ifPresent(p -> problems.add("identifier " + p));
                require(problems, "instanceClass", a.instanceClass, RdsRules::instanceClass);
                require(problems, "engineVersion", a.engineVersion, RdsRules::engineVersion);
                if (a.vpcIdOutput == null) {
                    require(problems, "vpcId", a.vpcId, RdsRules::vpcId);
                }
                require(problems, "masterUsername", a.masterUsername, RdsRules::masterUsername);
                if (a.subnetIdsOutput == null) {
                    subnetProblems(a.subnetIds).forEach(problems::add);
                }
                a.allowedSecurityGroupIds.forEach(s -> RdsRules.securityGroupId(s).ifPresent(p -> problems.add("allowedSecurityGroupIds " + p)));
                a.allowedCidrs.forEach(s -> RdsRules.cidr(s).ifPresent(p -> problems.add("allowedCidrs " + p)));
                if (a.allowedSecurityGroupIds.isEmpty() && a.allowedCidrs.isEmpty()) {
                    problems.add("nobody could connect: give allowedSecurityGroupIds or allowedCidrs");
                }
                if (a.kmsKeyId != null) {
                    RdsRules.kmsKey(a.kmsKeyId).ifPresent(p -> problems.add("kmsKeyId " + p));
                }
                if (a.ssmParameterName != null) {
                    RdsRules.ssmParameterName(a.ssmParameterName).ifPresent(p -> problems.add("ssmParameterName " + p));
                }
                if (a.allocatedStorageGb < 20 || a.allocatedStorageGb > 65536) {
                    problems.add("allocatedStorageGb " + a.allocatedStorageGb + " is out of range; allowed: 20 to 65536 (gp3)");
                }
                if (a.maxAllocatedStorageGb <= a.allocatedStorageGb || a.maxAllocatedStorageGb > 65536) {
                    problems.add("maxAllocatedStorageGb " + a.maxAllocatedStorageGb + " is out of range; allowed: more than allocatedStorageGb ("
                            + a.allocatedStorageGb + ") up to 65536");
                }
                if (a.backupRetentionDays < 1 || a.backupRetentionDays > 35) {
                    problems.add("backupRetentionDays " + a.backupRetentionDays + " is out of range; allowed: 1 to 35");
                }
                require(problems, "backupWindow", a.backupWindow, RdsRules::backupWindow);
                require(problems, "maintenanceWindow", a.maintenanceWindow, RdsRules::maintenanceWindow);
                RdsRules.monitoringInterval(a.monitoringIntervalSeconds).ifPresent(p -> problems.add("monitoringIntervalSeconds " + p));
                if ("0".equals(a.parameters.get("rds.force_ssl"))) {
                    problems.add("parameter rds.force_ssl cannot be 0: connections require TLS");
                }
                if (a.proxy != null) {
                    var logins = a.databases.stream().flatMap(d -> d.logins().stream()).map(l -> l.name()).toList();
                    RdsProxy.problems(a.proxy, a.masterUsername, logins, a.kmsKeyId).forEach(p -> problems.add("proxy." + p));
                    if (a.region == null) {
                        problems.add("proxy needs region: the proxy role's kms:Decrypt is limited to Secrets Manager in it");
                    }
                }
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException("RdsDatabase: " + String.join("; ", problems));
                }
                return a;
            }

            static List<String> subnetProblems(List<String> subnetIds) {
                var problems = new ArrayList<String>();
                if (subnetIds.size() < 2) {
                    problems.add("subnetIds needs at least 2 private subnets (in different availability zones)");
                }
                subnetIds.forEach(s -> RdsRules.subnetId(s).ifPresent(p -> problems.add("subnetIds " + p)));
                return problems;
            }

            private static void require(List<String> problems, String key, String value,
                                        java.util.function.Function<String, Optional<String>> rule) {
                if (value == null) {
                    problems.add(key + " is required");
                } else {
                    rule.apply(value).ifPresent(p -> problems.add(key + " " + p));
                }
            }
        }
    }

    /** The provider scheme that connects with TLS verified against the RDS certificate authorities. */
    public static final String AWS_SCHEME = "awspostgres";

    /**
     * How the deployer's postgresql provider reaches the instance: as the master user with its
     * RDS-managed password, over pulumi-postgresql 3.18.0's {@code awspostgres} scheme, whose dialer
     * (gocloud.dev/postgres/awspostgres) requires TLS and verifies the server against AWS's RDS CA
     * bundle and the endpoint's host name (see docs/upstream-facts.md); sslmode is not used by that
     * scheme, so it is not set. The master user needs no {@code rds_iam}, so the first {@code
     * pulumi up} can create every role and grant.
     */
    public static Provider.Args adminConnection(Output<String> address, String masterUsername, Output<String> password) {
        return Provider.Args.builder()
                .scheme(AWS_SCHEME)
                .host(address)
                .port(5432)
                .username(Output.of(masterUsername))
                .password(password)
                .database("postgres")
                .superuser(false)
                .build();
    }

    /**
     * The master password, read during {@code pulumi up} only from the secret RDS manages, as a Pulumi
     * secret: in a preview (and the offline plan) it is an unknown secret and nothing reads the
     * secret, so a previewing identity needs no {@code secretsmanager:GetSecretValue}
     * ({@link dev.dataplatform.core.DeployTime}). Every update reads the current version (RDS rotates
     * it). The secret is JSON with {@code username} and {@code password}.
     */
    static Output<String> masterPassword(com.pulumi.resources.Resource parent, Instance instance) {
        return dev.dataplatform.core.DeployTime.secretOnUpdate(() -> {
            var secretArn = instance.masterUserSecrets().applyValue(secrets -> secrets.stream()
                    .flatMap(s -> s.secretArn().stream()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("RDS returned no master user secret although "
                            + "manageMasterUserPassword is on")));
            return SecretsmanagerFunctions.getSecretVersion(GetSecretVersionArgs.builder().secretId(secretArn).build(),
                            new InvokeOutputOptions.Builder().parent(parent).dependsOn(instance).build())
                    .applyValue(version -> passwordOf(version.secretString()));
        });
    }

    /** The {@code password} field of an RDS master secret; the error never repeats the secret. */
    static String passwordOf(String secretJson) {
        com.google.gson.JsonElement password;
        try {
            password = com.google.gson.JsonParser.parseString(secretJson).getAsJsonObject().get("password");
        } catch (RuntimeException e) {
            throw new IllegalStateException("the RDS master secret is not the JSON RDS writes ({\"username\", \"password\"})");
        }
        if (password == null || !password.isJsonPrimitive()) {
            throw new IllegalStateException("the RDS master secret has no \"password\" field");
        }
        return password.getAsString();
    }

    public RdsDatabase(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();

        var subnets = new SubnetGroup(name, SubnetGroupArgs.builder()
                .name(args.identifier)
                .description("Private subnets of " + args.identifier)
                .subnetIds(args.subnetIdsOutput == null ? Output.of(args.subnetIds) : args.subnetIdsOutput.applyValue(ids -> {
                    var problems = Args.Builder.subnetProblems(ids);
                    if (!problems.isEmpty()) {
                        throw new IllegalArgumentException("RdsDatabase " + name + ": " + String.join("; ", problems));
                    }
                    return ids;
                }))
                .tags(args.tags)
                .build(), child);

        var securityGroup = new SecurityGroup(name, SecurityGroupArgs.builder()
                .name(args.identifier + "-postgres")
                .description("PostgreSQL " + args.identifier + ": 5432 from allowed groups and private ranges only")
                .vpcId(args.vpcIdOutput == null ? Output.of(args.vpcId) : args.vpcIdOutput.applyValue(id -> {
                    RdsRules.vpcId(id).ifPresent(problem -> {
                        throw new IllegalArgumentException("RdsDatabase " + name + ": vpcId " + problem);
                    });
                    return id;
                }))
                .tags(args.tags)
                .build(), child);
        for (String group : args.allowedSecurityGroupIds) {
            new SecurityGroupIngressRule(name + "-from-" + group, SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(securityGroup.id())
                    .referencedSecurityGroupId(group)
                    .ipProtocol("tcp").fromPort(5432).toPort(5432)
                    .description("PostgreSQL from " + group)
                    .build(), child);
        }
        for (String cidr : args.allowedCidrs) {
            new SecurityGroupIngressRule(name + "-from-" + cidr.replace('/', '-'), SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(securityGroup.id())
                    .cidrIpv4(cidr)
                    .ipProtocol("tcp").fromPort(5432).toPort(5432)
                    .description("PostgreSQL from " + cidr)
                    .build(), child);
        }

        var parameters = new TreeMap<>(args.parameters);
        parameters.put("rds.force_ssl", "1");
        parameters.putIfAbsent("log_min_duration_statement", "1000");
        parameters.putIfAbsent("log_connections", "1");
        parameters.putIfAbsent("log_disconnections", "1");
        String family = RdsRules.family(args.engineVersion);
        var parameterGroup = new ParameterGroup(name, ParameterGroupArgs.builder()
                .name(args.identifier + "-" + family)
                .family(family)
                .description("PostgreSQL " + args.identifier + ": TLS forced, logging")
                .parameters(parameters.entrySet().stream().map(p -> ParameterGroupParameterArgs.builder()
                        .name(p.getKey()).value(p.getValue()).applyMethod("pending-reboot").build()).toList())
                .tags(args.tags)
                .build(), child);

        Output<String> monitoringRoleArn = null;
        RolePolicyAttachment monitoringPolicy = null;
        if (args.monitoringIntervalSeconds > 0) {
            var role = new Role(name + "-monitoring", RoleArgs.builder()
                    .name(args.identifier + "-rds-monitoring")
                    .assumeRolePolicy(IamPolicy.serviceTrust("monitoring.rds.amazonaws.com", args.accountId))
                    .tags(args.tags)
                    .build(), child);
            monitoringPolicy = new RolePolicyAttachment(name + "-monitoring", RolePolicyAttachmentArgs.builder()
                    .role(role.name())
                    .policyArn(MONITORING_POLICY)
                    .build(), child);
            monitoringRoleArn = role.arn();
        }

        var instanceArgs = InstanceArgs.builder()
                .identifier(args.identifier)
                .engine("postgres")
                .engineVersion(args.engineVersion)
                .instanceClass(args.instanceClass)
                .allocatedStorage(args.allocatedStorageGb)
                .maxAllocatedStorage(args.maxAllocatedStorageGb)
                .storageType("gp3")
                .storageEncrypted(true)
                .username(args.masterUsername)
                .manageMasterUserPassword(true)
                .iamDatabaseAuthenticationEnabled(true)
                .dbSubnetGroupName(subnets.name())
                .vpcSecurityGroupIds(securityGroup.id().applyValue(List::of))
                .publiclyAccessible(false)
                .multiAz(args.multiAz)
                .parameterGroupName(parameterGroup.name())
                .backupRetentionPeriod(args.backupRetentionDays)
                .backupWindow(args.backupWindow)
                .maintenanceWindow(args.maintenanceWindow)
                .deletionProtection(args.deletionProtection)
                .skipFinalSnapshot(!args.deletionProtection)
                .copyTagsToSnapshot(true)
                .autoMinorVersionUpgrade(true)
                .allowMajorVersionUpgrade(false)
                .performanceInsightsEnabled(true)
                .performanceInsightsRetentionPeriod(7)
                .monitoringInterval(args.monitoringIntervalSeconds)
                .enabledCloudwatchLogsExports(List.of("postgresql", "upgrade"))
                .tags(args.tags);
        if (args.deletionProtection) {
            instanceArgs.finalSnapshotIdentifier(args.identifier + "-final");
        }
        if (monitoringRoleArn != null) {
            instanceArgs.monitoringRoleArn(monitoringRoleArn);
        }
        if (args.kmsKeyId != null) {
            instanceArgs.kmsKeyId(args.kmsKeyId).masterUserSecretKmsKeyId(args.kmsKeyId).performanceInsightsKmsKeyId(args.kmsKeyId);
        }
        // RDS checks the monitoring role's permissions when the instance is created: wait for the policy
        // attachment, not only for the role ("IAM role ARN value is invalid or does not include the
        // required permissions for: ENHANCED_MONITORING" otherwise).
        var instanceOptions = CustomResourceOptions.builder().parent(this).protect(args.protect);
        if (monitoringPolicy != null) {
            instanceOptions.dependsOn(monitoringPolicy);
        }
        var instance = new Instance(name, instanceArgs.build(), instanceOptions.build());

        this.endpoint = instance.endpoint();
        this.address = instance.address();
        this.port = Output.of(5432); // the instance is not given a port: PostgreSQL's default, known offline
        this.arn = instance.arn();
        this.resourceId = instance.resourceId();
        this.allocatedStorageGb = instance.allocatedStorage();
        this.masterSecretArn = instance.masterUserSecrets()
                .applyValue(secrets -> secrets.isEmpty() ? "" : secrets.get(0).secretArn().orElse(""));
        this.securityGroupId = securityGroup.id();

        this.adminConnection = adminConnection(instance.address(), args.masterUsername, masterPassword(this, instance));
        var names = new ArrayList<String>();
        if (!args.databases.isEmpty()) {
            args.databases.forEach(db -> names.add(db.name()));
            var model = new AccessModel(args.databases);
            new PostgresAccess(name + "-access", new PostgresAccess.Args(model,
                    adminConnection,
                    // Logins authenticate with IAM tokens: each is also a member of rds_iam.
                    args.protect, List.of(), List.of("rds_iam")),
                    ComponentResourceOptions.builder().parent(this).dependsOn(instance).build());
        }
        this.databases = Output.of(List.copyOf(names));

        if (args.proxy != null) {
            var proxy = RdsProxy.declare(this, name, args, args.proxy, instance, securityGroup, masterSecretArn,
                    securityGroup.vpcId(), subnets.subnetIds());
            this.proxyEndpoint = proxy.endpoint();
            this.proxyConnectPolicyArn = proxy.connectPolicyArn();
        } else {
            this.proxyEndpoint = null;
            this.proxyConnectPolicyArn = null;
        }

        if (args.ssmParameterName != null) {
            var details = Output.tuple(instance.address(), instance.port(), masterSecretArn).applyValue(t -> {
                var json = new LinkedHashMap<String, Object>();
                json.put("host", t.t1);
                json.put("port", t.t2);
                json.put("username", args.masterUsername);
                json.put("masterSecretArn", t.t3);
                json.put("sslmode", "require");
                json.put("databases", names);
                return new com.google.gson.Gson().toJson(json);
            });
            new Parameter(name + "-connection", ParameterArgs.builder()
                    .name(args.ssmParameterName)
                    .type("String")
                    .description("Connection details of " + args.identifier + " (no password: IAM auth or the master secret)")
                    .value(details)
                    .tags(args.tags)
                    .build(), child);
        }

        var outputs = new LinkedHashMap<String, Output<?>>(Map.of(
                "endpoint", endpoint, "address", address, "port", port, "arn", arn, "resourceId", resourceId,
                "masterSecretArn", masterSecretArn, "securityGroupId", securityGroupId, "databases", databases));
        if (proxyEndpoint != null) {
            outputs.put("proxyEndpoint", proxyEndpoint);
            outputs.put("proxyConnectPolicyArn", proxyConnectPolicyArn);
        }
        registerOutputs(outputs);
    }
}
