package io.tributary.trigger.definition;

import java.util.Locale;

/** Enum values on the wire: lowercase with dashes, e.g. {@code FIRE_ONCE} ↔ {@code fire-once}. */
final class WireEnum {
    private WireEnum() {}

    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (name(e).equalsIgnoreCase(value.trim().replace('_', '-'))) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(name(e));
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + allowed);
    }
}
