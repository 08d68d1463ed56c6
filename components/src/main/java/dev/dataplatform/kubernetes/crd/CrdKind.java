package dev.dataplatform.kubernetes.crd;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A custom resource kind: its {@code apiVersion} ({@code group/version}) and {@code kind}. The
 * Pulumi type token is {@code kubernetes:<apiVersion>:<Kind>}, the form pulumi-kubernetes accepts
 * for any CRD (e.g. {@code kubernetes:stackgres.io/v1:SGCluster}).
 */
public record CrdKind(String apiVersion, String kind) {
    private static final Pattern API_VERSION = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/v[0-9]+((alpha|beta)[0-9]+)?");
    private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]*");

    public CrdKind {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        if (!API_VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("apiVersion '" + apiVersion + "' is not <group>/<version> (e.g. stackgres.io/v1)");
        }
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind '" + kind + "' is not an UpperCamelCase name (e.g. SGCluster)");
        }
    }

    public String token() {
        return "kubernetes:" + apiVersion + ":" + kind;
    }
}
