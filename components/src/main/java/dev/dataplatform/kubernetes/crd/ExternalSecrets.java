package dev.dataplatform.kubernetes.crd;

import java.util.List;
import java.util.Map;

/**
 * Typed specs of External Secrets Operator resources: SecretStore and ExternalSecret are
 * {@code external-secrets.io/v1}, PushSecret is {@code v1alpha1}, the Password generator
 * {@code generators.external-secrets.io/v1alpha1}.
 */
public final class ExternalSecrets {
    public static final CrdKind SECRET_STORE = new CrdKind("external-secrets.io/v1", "SecretStore");
    public static final CrdKind EXTERNAL_SECRET = new CrdKind("external-secrets.io/v1", "ExternalSecret");
    public static final CrdKind PUSH_SECRET = new CrdKind("external-secrets.io/v1alpha1", "PushSecret");
    public static final CrdKind PASSWORD = new CrdKind("generators.external-secrets.io/v1alpha1", "Password");

    private ExternalSecrets() {
    }

    public record SecretStoreSpec(Provider provider) implements CrdSpec {
        public CrdKind kind() {
            return SECRET_STORE;
        }

        /** AWS Systems Manager Parameter Store, authenticated as {@code serviceAccount} (IRSA). */
        public static SecretStoreSpec parameterStore(String region, String serviceAccount) {
            return new SecretStoreSpec(new Provider(new Aws("ParameterStore", region,
                    new Auth(new Jwt(new ServiceAccountRef(serviceAccount))))));
        }
    }

    public record Provider(Aws aws) {
    }

    public record Aws(String service, String region, Auth auth) {
    }

    public record Auth(Jwt jwt) {
    }

    public record Jwt(ServiceAccountRef serviceAccountRef) {
    }

    public record ServiceAccountRef(String name) {
    }

    public record StoreRef(String name, String kind) {
        public static StoreRef secretStore(String name) {
            return new StoreRef(name, SECRET_STORE.kind());
        }

        /** A cluster-wide store the platform team runs (e.g. for secrets a DBA put in the cloud's secret manager). */
        public static StoreRef clusterSecretStore(String name) {
            return new StoreRef(name, "ClusterSecretStore");
        }
    }

    /**
     * {@code refreshPolicy} (ESO v2.9.0 CRD): {@code CreatedOnce} writes the Secret once and never updates it, even when
     * the ExternalSecret's spec changes; null leaves ESO's default ({@code Periodic}, by {@code refreshInterval}).
     */
    public record ExternalSecretSpec(String refreshInterval, StoreRef secretStoreRef, Target target, List<Data> data,
                                     List<DataFrom> dataFrom, String refreshPolicy) implements CrdSpec {
        public ExternalSecretSpec(String refreshInterval, StoreRef secretStoreRef, Target target, List<Data> data,
                                  List<DataFrom> dataFrom) {
            this(refreshInterval, secretStoreRef, target, data, dataFrom, null);
        }

        public CrdKind kind() {
            return EXTERNAL_SECRET;
        }
    }

    /** The Secret ESO writes; {@code creationPolicy: Owner} so it goes with its ExternalSecret. */
    public record Target(String name, String creationPolicy, Template template) {
    }

    /** Secret data rendered from the fetched values (Go templates, engine v2). */
    public record Template(String engineVersion, Map<String, String> data) {
    }

    public record Data(String secretKey, RemoteRef remoteRef) {
    }

    /**
     * A remote secret's key, and with the Kubernetes provider (a Secret of another namespace, data-platform:local)
     * the key inside that Secret: {@code new RemoteRef("login-dagster#password")} reads key {@code password} of
     * Secret {@code login-dagster} (without a property the provider returns the whole Secret as JSON). Cloud secret
     * names cannot contain '#' (Secret Manager: letters, digits, '-', '_'; Secrets Manager: also /_+=.@).
     */
    public record RemoteRef(String key, String property) {
        public RemoteRef(String key) {
            this(key.contains("#") ? key.substring(0, key.indexOf('#')) : key,
                    key.contains("#") ? key.substring(key.indexOf('#') + 1) : null);
        }
    }

    public record DataFrom(SourceRef sourceRef) {
    }

    public record SourceRef(GeneratorRef generatorRef) {
    }

    public record GeneratorRef(String apiVersion, String kind, String name) {
    }

    public record PasswordSpec(Integer length, Integer digits, Integer symbols, Boolean noUpper, Boolean allowRepeat)
            implements CrdSpec {
        public CrdKind kind() {
            return PASSWORD;
        }
    }

    public record PushSecretSpec(String refreshInterval, String updatePolicy, String deletionPolicy,
                                 List<StoreRef> secretStoreRefs, Selector selector, List<PushData> data) implements CrdSpec {
        public CrdKind kind() {
            return PUSH_SECRET;
        }
    }

    public record Selector(SecretSelector secret) {
    }

    public record SecretSelector(String name) {
    }

    public record PushData(Match match, PushMetadata metadata) {
    }

    public record Match(String secretKey, PushRemoteRef remoteRef) {
    }

    public record PushRemoteRef(String remoteKey) {
    }

    /** Provider-specific push options; for Parameter Store the parameter type (SecureString). */
    public record PushMetadata(String apiVersion, String kind, PushMetadataSpec spec) {
        public static PushMetadata parameterStore(String secretType) {
            return new PushMetadata("kubernetes.external-secrets.io/v1alpha1", "PushSecretMetadata",
                    new PushMetadataSpec(secretType));
        }
    }

    public record PushMetadataSpec(String secretType) {
    }
}
