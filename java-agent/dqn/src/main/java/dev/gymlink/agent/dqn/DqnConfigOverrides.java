package dev.gymlink.agent.dqn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Changes to a {@link DqnConfig} by name, for {@code gymlink train --set KEY=VALUE} and
 * {@code --config FILE}. The names are those of the config's JSON form, the {@code dqn} object of a
 * run's {@code config.json}: top-level fields ({@code learningRate}, {@code hiddenSizes}) and, with
 * a dot, the fields of nested ones ({@code exploration.decaySteps}, {@code solve.evalEpisodes}). A
 * nested field also takes a whole JSON object, which is how a variant is switched
 * ({@code targetNetwork={"@type":"Polyak","tau":0.005,"intervalSteps":1}}). The result is built
 * through the record's constructor, so it is validated like any config.
 *
 * <pre>{@code
 * DqnConfig tuned = DqnConfigOverrides.apply(DqnConfig.defaults(),
 *         Map.of("learningRate", "1e-3", "hiddenSizes", "128,128"));
 * }</pre>
 */
public final class DqnConfigOverrides {

    /** Reads and writes configs as config.json holds them; enum names in any case. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();
    /** The type name of a nested variant, e.g. {@code "Linear"}; switched with a whole object. */
    private static final String TYPE_FIELD = "@type";
    /** The name older run directories use for {@code origin}. */
    private static final Map<String, String> ALIASES = Map.of("preset", "origin");

    private DqnConfigOverrides() {}

    /**
     * The names {@link #apply} takes for this config, in the config's order: each field, and each
     * field of a nested object (which depend on its variant: {@code targetNetwork.tau} exists only
     * for a Polyak target network).
     */
    public static List<String> keys(DqnConfig config) {
        return keysOf(JSON.valueToTree(config));
    }

    /** Each key of {@link #keys} that names a value (not a nested object), with that value as JSON text. */
    public static Map<String, String> values(DqnConfig config) {
        Map<String, String> values = new LinkedHashMap<>();
        collectValues(JSON.valueToTree(config), "", values);
        return values;
    }

    private static void collectValues(JsonNode node, String prefix, Map<String, String> values) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            if (field.getValue().isObject()) {
                collectValues(field.getValue(), key + ".", values);
            } else {
                values.put(key, field.getValue().isTextual() ? field.getValue().textValue() : field.getValue().toString());
            }
        }
    }

    /**
     * The config with each {@code key -> value} applied in order. Values are written as on a
     * command line: numbers ({@code 1e-3}, {@code 100000}, {@code 1e5} for whole numbers,
     * {@code NaN} and {@code inf} for decimals), {@code true}/{@code false}, enum names in any case,
     * comma-separated widths for {@code hiddenSizes}, and JSON objects for nested fields.
     *
     * <p>Any config record serialised the same way takes the same assignments (SAC's {@code SacConfig}
     * does); the result has the type of {@code base}.
     *
     * @throws IllegalArgumentException naming the key and the value, with the valid keys
     */
    public static <C extends Record> C apply(C base, Map<String, String> assignments) {
        ObjectNode tree = JSON.valueToTree(base);
        for (Map.Entry<String, String> assignment : assignments.entrySet()) {
            String key = ALIASES.getOrDefault(assignment.getKey(), assignment.getKey());
            String[] path = key.split("\\.", -1);
            ObjectNode parent = tree;
            for (int k = 0; k < path.length - 1; k++) {
                JsonNode child = parent.get(path[k]);
                if (child == null || !child.isObject()) {
                    throw unknownKey(base, assignment.getKey(), tree);
                }
                parent = (ObjectNode) child;
            }
            String field = path[path.length - 1];
            JsonNode current = parent.get(field);
            if (current == null || field.equals(TYPE_FIELD)) {
                throw unknownKey(base, assignment.getKey(), tree);
            }
            parent.set(field, parse(assignment.getKey(), assignment.getValue(), current, tree));
        }
        @SuppressWarnings("unchecked")
        Class<C> type = (Class<C>) base.getClass();
        return build(tree, "--set " + String.join(" --set ", assignments.keySet()), type);
    }

    /**
     * The config with the fields of a JSON object (a {@code dqn} or {@code sac} object of a
     * config.json, whole or in part) replacing its own; a nested object merges field by field unless
     * it names another variant. The result has the type of {@code base}.
     *
     * @param origin where the object came from, for messages
     * @throws IllegalArgumentException for unknown fields and invalid values, with the valid keys
     */
    public static <C extends Record> C merge(C base, JsonNode overrides, String origin) {
        if (!overrides.isObject()) {
            throw new IllegalArgumentException(origin + ": the " + algorithm(base) + " config must be a JSON object,"
                    + " got " + overrides);
        }
        ObjectNode tree = JSON.valueToTree(base);
        mergeInto(tree, (ObjectNode) overrides, "", tree, origin, algorithm(base));
        @SuppressWarnings("unchecked")
        Class<C> type = (Class<C>) base.getClass();
        return build(tree, origin, type);
    }

    private static void mergeInto(ObjectNode target, ObjectNode overrides, String prefix, ObjectNode root,
            String origin, String algorithm) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = prefix.isEmpty() ? ALIASES.getOrDefault(field.getKey(), field.getKey()) : field.getKey();
            JsonNode current = target.get(name);
            if (current == null && !(name.equals(TYPE_FIELD) && !prefix.isEmpty())) {
                throw new IllegalArgumentException(origin + ": unknown " + algorithm + " setting '" + prefix + name
                        + "'; valid keys: "
                        + String.join(", ", keysOf(root)));
            }
            JsonNode value = field.getValue();
            boolean sameVariant = current != null && current.isObject() && value.isObject()
                    && (!value.has(TYPE_FIELD) || value.get(TYPE_FIELD).equals(current.get(TYPE_FIELD)));
            if (sameVariant) {
                mergeInto((ObjectNode) current, (ObjectNode) value, prefix + name + ".", root, origin, algorithm);
            } else {
                target.set(name, value);
            }
        }
    }

    private static <C> C build(ObjectNode tree, String origin, Class<C> type) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            String problem = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException(origin + ": " + problem + "; valid keys: "
                    + String.join(", ", keysOf(tree)), e);
        }
    }

    /** A command-line value in the form of the node it replaces. */
    private static JsonNode parse(String key, String text, JsonNode current, ObjectNode tree) {
        String value = text.strip();
        try {
            if (current.isObject()) {
                JsonNode object = JSON.readTree(value);
                if (object == null || !object.isObject()) {
                    throw new IllegalArgumentException("a JSON object, e.g. " + current);
                }
                return object;
            }
            if (current.isArray()) {
                ArrayNode widths = JsonNodeFactory.instance.arrayNode();
                String list = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
                for (String item : list.split(",")) {
                    if (!item.isBlank()) {
                        widths.add(wholeNumber(item.strip()));
                    }
                }
                return widths;
            }
            if (current.isBoolean()) {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("true or false");
                }
                return BooleanNode.valueOf(Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)));
            }
            if (current.isIntegralNumber()) {
                return LongNode.valueOf(wholeNumber(value));
            }
            if (current.isNumber()) {
                return DoubleNode.valueOf(decimal(value));
            }
            return TextNode.valueOf(value);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            String expected = e instanceof JsonProcessingException ? "a JSON object, e.g. " + current : e.getMessage();
            throw new IllegalArgumentException("bad value for DQN setting " + key + ": '" + text + "', expected "
                    + expected + "; valid keys: " + String.join(", ", keysOf(tree)));
        }
    }

    private static long wholeNumber(String text) {
        try {
            return new BigDecimal(text.replace("_", "")).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("a whole number");
        }
    }

    private static double decimal(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity") || lower.equals("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("-inf") || lower.equals("-infinity")) {
            return Double.NEGATIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a number");
        }
    }

    private static IllegalArgumentException unknownKey(Record base, String key, ObjectNode tree) {
        return new IllegalArgumentException("unknown " + algorithm(base) + " setting '" + key + "'; valid keys: "
                + String.join(", ", keysOf(tree)));
    }

    /** "DQN" for DqnConfig, "SAC" for SacConfig. */
    private static String algorithm(Record config) {
        return config.getClass().getSimpleName().replace("Config", "").toUpperCase(java.util.Locale.ROOT);
    }

    private static List<String> keysOf(JsonNode tree) {
        List<String> keys = new ArrayList<>();
        collectKeys(tree, "", keys);
        return keys;
    }

    private static void collectKeys(JsonNode node, String prefix, List<String> keys) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(TYPE_FIELD)) {
                continue;
            }
            keys.add(prefix + field.getKey());
            if (field.getValue().isObject()) {
                collectKeys(field.getValue(), prefix + field.getKey() + ".", keys);
            }
        }
    }
}
