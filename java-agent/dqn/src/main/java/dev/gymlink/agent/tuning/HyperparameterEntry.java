package dev.gymlink.agent.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One env's entry of a {@link HyperparameterFile}: typed readers of its values, each empty when the
 * key is absent, and errors of one form, {@code entry ENV-ID in FILE has KEY VALUE, which must be ...}.
 * An algorithm's reader extends it with what its keys mean.
 */
public class HyperparameterEntry {

    private final String origin;
    private final String envId;
    private final JsonNode node;

    public HyperparameterEntry(String origin, String envId, JsonNode node) {
        this.origin = origin;
        this.envId = envId;
        this.node = node;
    }

    /** The same entry, for a subclass that reads it. */
    protected HyperparameterEntry(HyperparameterEntry entry) {
        this(entry.origin, entry.envId, entry.node);
    }

    public final String origin() {
        return origin;
    }

    public final String envId() {
        return envId;
    }

    public final JsonNode node() {
        return node;
    }

    /**
     * Refuses an entry that is not an object, has a key outside {@code keys} (a typo) or no
     * {@code source}.
     *
     * @return the entry's {@code source}: where its numbers come from
     */
    public final String requireShape(Set<String> keys) {
        if (!node.isObject()) {
            throw error("must be an object of hyperparameters, got " + node);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw error("has unknown key '" + name + "'; known keys: " + new TreeSet<>(keys));
            }
        }
        return text("source").orElseThrow(() -> error("needs a \"source\" saying where its numbers come from"));
    }

    public final Optional<Double> number(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw error("has " + key + " " + value + ", which must be a number");
        }
        return Optional.of(value.doubleValue());
    }

    public final Optional<Long> integer(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        // 1e5 and 100000.0 are written for integers in hyperparameter files; accept whole numbers.
        if (!value.isNumber() || value.doubleValue() != Math.rint(value.doubleValue())
                || Math.abs(value.doubleValue()) > 1e15) {
            throw error("has " + key + " " + value + ", which must be a whole number");
        }
        return Optional.of(value.isIntegralNumber() ? value.longValue() : (long) value.doubleValue());
    }

    /** A whole number that fits an {@code int}. */
    public final Optional<Integer> smallInteger(String key) {
        return integer(key).map(value -> toInt(key, value));
    }

    public final Optional<Boolean> bool(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw error("has " + key + " " + value + ", which must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    public final Optional<String> text(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw error("has " + key + " " + value + ", which must be a non-empty string");
        }
        return Optional.of(value.textValue());
    }

    public final Optional<List<Integer>> intList(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw error("has " + key + " " + value + ", which must be a list of layer widths");
        }
        List<Integer> widths = new ArrayList<>();
        for (JsonNode width : value) {
            if (!width.isIntegralNumber() || !width.canConvertToInt()) {
                throw error("has " + key + " " + value + ", whose entries must be integers");
            }
            widths.add(width.intValue());
        }
        return Optional.of(widths);
    }

    /** A list of env ids; empty when absent. */
    public final List<String> stringList(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> items.add(item.isTextual() ? item.textValue() : null));
        }
        if (!value.isArray() || items.contains(null)) {
            throw error("has " + key + " " + value + ", which must be a list of env ids");
        }
        return items;
    }

    public final int toInt(String key, long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error("has " + key + " " + value + ", which is too large");
        }
        return (int) value;
    }

    /** An error naming this entry: {@code entry ENV-ID in FILE PROBLEM}. */
    public final IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(errorPrefix() + problem);
    }

    public final IllegalArgumentException error(String problem, Throwable cause) {
        return new IllegalArgumentException(errorPrefix() + problem, cause);
    }

    /**
     * A config's own validation failure (which names no entry) as this entry's error; one that
     * already names it, unchanged.
     */
    public final IllegalArgumentException invalid(IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(errorPrefix())) {
            return e;
        }
        return error("is invalid: " + e.getMessage(), e);
    }

    private String errorPrefix() {
        return "entry " + envId + " in " + origin + " ";
    }
}
