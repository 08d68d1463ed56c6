package dev.dataplatform.pkg;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the package schema says about a component, an args type or one of their properties, where the
 * SDK's inference (ComponentAnalyzer, com.pulumi:pulumi 1.36.1) has no way to say it: a description
 * (Javadoc is not kept at run time), a secret, the enum a string must come from. Read by
 * {@link PackageSchema}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.TYPE})
public @interface Describe {
    /** The description shown in the generated SDKs' docs. */
    String value();

    /** The value is secret: generated SDKs and the engine keep it encrypted. */
    boolean secret() default false;

    /** The name of an enum in {@link PackageSchema#ENUMS} the string value must come from ("" for none). */
    String oneOf() default "";
}
