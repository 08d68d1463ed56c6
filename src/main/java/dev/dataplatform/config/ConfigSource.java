package dev.dataplatform.config;

import java.util.Map;

/**
 * Where a stack's config comes from: the engine under {@code pulumi up} ({@link EngineConfigSource})
 * or the stack file offline ({@link StackFile}). Both hand the parser the same shape, so one parser
 * serves both.
 */
public interface ConfigSource {

    /** The stack file name used in messages, e.g. {@code Pulumi.dev.yaml}. */
    String file();

    /** The stack name. */
    String stack();

    /**
     * Every config key, fully qualified ({@code data-platform:environment}, {@code gcp:project}), to its
     * value: a top-level scalar is a String; structured values are Map/List trees of String, Long,
     * Double, Boolean, null and {@link SecretValue}; a top-level secret is a {@link SecretValue}
     * (or a tree under a secret key, see {@link #isSecret}).
     */
    Map<String, Object> values();

    /** True if the whole key was given as a secret. */
    boolean isSecret(String fullKey);
}
