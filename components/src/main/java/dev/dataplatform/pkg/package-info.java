/**
 * The component package other languages use ({@code pulumi package add ./components}): one class per
 * component, constructor {@code (name, Args, options)}, args as {@code ResourceArgs} with
 * {@code @Import} fields and outputs as {@code @Export} fields, so Pulumi infers the schema. Each
 * wraps the typed Java component of the same name, whose rules and defaults apply unchanged; the
 * environment's profile (dev, stage, prod) sets what a stack file would.
 */
package dev.dataplatform.pkg;
