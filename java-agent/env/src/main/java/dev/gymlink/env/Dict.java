package dev.gymlink.env;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * gymnasium.spaces.Dict: named spaces in a fixed key order; elements are maps.
 *
 * @param spaces key to space, iterated in Gymnasium's key order
 */
public record Dict(Map<String, Space> spaces) implements Space {

    public Dict {
        spaces = Collections.unmodifiableMap(new LinkedHashMap<>(spaces));
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Map<?, ?> map) || !map.keySet().equals(spaces.keySet())) {
            return false;
        }
        for (Map.Entry<String, Space> entry : spaces.entrySet()) {
            if (!entry.getValue().contains(map.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Map<String, Object> sample(RandomGenerator rng) {
        Map<String, Object> values = new LinkedHashMap<>();
        spaces.forEach((key, space) -> values.put(key, space.sample(rng)));
        return Collections.unmodifiableMap(values);
    }

    @Override
    public int flatDim() {
        return spaces.values().stream().mapToInt(Space::flatDim).sum();
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        if (!(value instanceof Map<?, ?> map) || !map.keySet().equals(spaces.keySet())) {
            throw new IllegalArgumentException(PythonRepr.describeValue(value) + " cannot be flattened as " + this);
        }
        int position = offset;
        for (Map.Entry<String, Space> entry : spaces.entrySet()) {
            entry.getValue().flattenInto(map.get(entry.getKey()), out, position);
            position += entry.getValue().flatDim();
        }
    }

    @Override
    public String toString() {
        return spaces.entrySet().stream()
                .map(e -> "'" + e.getKey() + "': " + e.getValue())
                .collect(Collectors.joining(", ", "Dict(", ")"));
    }
}
