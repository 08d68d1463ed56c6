package dev.dataplatform.kubernetes.crd;

/**
 * The typed spec of one custom resource kind: a record (nested records, lists, string maps,
 * strings, numbers, booleans and {@link WireEnum}s) that knows its kind, so a spec can only be
 * declared as the resource it belongs to. {@code null} components are left out of the resource.
 */
public interface CrdSpec {
    CrdKind kind();
}
