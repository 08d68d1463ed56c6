package dev.dataplatform.postgresql;

import com.pulumi.resources.CustomResourceOptions;

/** The provider plugin this binding targets; every resource requests exactly this version. */
public final class PostgresqlPlugin {
    public static final String VERSION = "3.18.0";

    private PostgresqlPlugin() {
    }

    /** The caller's options with the plugin version pinned. */
    static CustomResourceOptions withVersion(CustomResourceOptions options) {
        var pinned = CustomResourceOptions.builder().version(VERSION).build();
        return CustomResourceOptions.merge(pinned, options, null);
    }
}
