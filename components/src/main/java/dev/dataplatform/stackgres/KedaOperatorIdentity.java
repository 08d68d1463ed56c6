package dev.dataplatform.stackgres;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatch;
import com.pulumi.kubernetes.core.v1.ServiceAccountPatchArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaPatchArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import dev.dataplatform.aws.IamPolicy;
import dev.dataplatform.core.Environment;

import java.util.Map;

/**
 * The KEDA operator's own IRSA identity, which every tenant's {@code aws-sqs-queue} scaler needs: KEDA 2.20 assumes a
 * trigger's {@code roleArn} with the operator's web-identity token ({@link OperatorFacts#KEDA_IDENTITY_SOURCE}), and EKS
 * mounts that token only into pods whose service account carries {@code eks.amazonaws.com/role-arn}. Without it the
 * scaler fails and the app stays at zero replicas (or at the ScaledObject's fallback). So the program manages the
 * annotation instead of leaving it to a prerequisite: an IAM role {@code dp-<env>-keda-operator} that only the KEDA
 * operator's service account can assume (no permissions of its own; each tenant's scaler role holds the queue
 * permission), and a server-side-apply patch that sets the annotation on {@code <kedaNamespace>/keda-operator}. KEDA's
 * pods pick the token up when they next start (docs/tenants.md "KEDA's AWS identity").
 */
public final class KedaOperatorIdentity extends ComponentResource {
    public static final String TYPE = "dataplatform:kubernetes:KedaOperatorIdentity";

    /** The role's ARN, annotated on the KEDA operator's service account. */
    public final Output<String> roleArn;

    /**
     * @param kedaNamespace where KEDA runs (its operator's service account is {@value OperatorFacts#KEDA_SERVICE_ACCOUNT})
     */
    public record Args(Environment environment, StackGresTenant.AwsIdentity aws, String kedaNamespace, Map<String, String> labels) {
    }

    public KedaOperatorIdentity(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();
        var role = new Role(name + "-role", RoleArgs.builder()
                .name(roleName(args.environment()))
                .assumeRolePolicy(IamPolicy.webIdentityTrust(args.aws().accountId(), args.aws().oidcProvider(),
                        args.kedaNamespace(), OperatorFacts.KEDA_SERVICE_ACCOUNT))
                .tags(Map.of("environment", args.environment().id(), "managed-by", "data-platform"))
                .build(), child);
        new ServiceAccountPatch(name + "-annotation", ServiceAccountPatchArgs.builder()
                .metadata(ObjectMetaPatchArgs.builder()
                        .name(OperatorFacts.KEDA_SERVICE_ACCOUNT)
                        .namespace(args.kedaNamespace())
                        .annotations(role.arn().applyValue(arn -> Map.of(StackGresTenant.IRSA_ANNOTATION, arn)))
                        .build())
                .build(), child);
        this.roleArn = role.arn();
        registerOutputs(Map.of("roleArn", roleArn));
    }

    /** {@code dp-<env>-keda-operator}. */
    public static String roleName(Environment environment) {
        return "dp-" + environment.id() + "-keda-operator";
    }
}
