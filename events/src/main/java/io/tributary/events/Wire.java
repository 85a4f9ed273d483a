package io.tributary.events;

import java.util.Locale;

/** Lowercase wire names for the contract's enums (JSON and schemas use {@code snake_case}). */
final class Wire {
    private Wire() {}

    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Case-insensitive parse; a clear message on unknown values instead of Jackson's generic one.
     */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + value + "'");
    }
}
