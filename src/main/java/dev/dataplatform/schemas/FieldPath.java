package dev.dataplatform.schemas;

import com.networknt.schema.Error;

/**
 * A failure's place in the resource as a dotted path with list indexes, e.g. {@code spec.instancs} or
 * {@code spec.scripts[1].scrpt}: the instance location, plus the property the failure is about
 * (an unknown or a missing field).
 */
final class FieldPath {
    private FieldPath() {
    }

    static String of(String prefix, Error error) {
        var path = new StringBuilder(prefix);
        var location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Number index) {
                path.append('[').append(index).append(']');
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(element);
            }
        }
        if (error.getProperty() != null) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(error.getProperty());
        }
        return path.isEmpty() ? "(root)" : path.toString();
    }
}
