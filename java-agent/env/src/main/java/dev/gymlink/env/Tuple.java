package dev.gymlink.env;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * gymnasium.spaces.Tuple: a fixed sequence of spaces; elements are lists.
 *
 * @param spaces component spaces, in order
 */
public record Tuple(List<Space> spaces) implements Space {

    public Tuple {
        spaces = List.copyOf(spaces);
    }

    public static Tuple of(Space... spaces) {
        return new Tuple(List.of(spaces));
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof List<?> list) || list.size() != spaces.size()) {
            return false;
        }
        for (int i = 0; i < spaces.size(); i++) {
            if (!spaces.get(i).contains(list.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Object> sample(RandomGenerator rng) {
        List<Object> values = new ArrayList<>(spaces.size());
        for (Space space : spaces) {
            values.add(space.sample(rng));
        }
        return List.copyOf(values);
    }

    @Override
    public int flatDim() {
        return spaces.stream().mapToInt(Space::flatDim).sum();
    }

    @Override
    public void flattenInto(Object value, float[] out, int offset) {
        if (!(value instanceof List<?> list) || list.size() != spaces.size()) {
            throw new IllegalArgumentException(PythonRepr.describeValue(value) + " cannot be flattened as " + this);
        }
        int position = offset;
        for (int i = 0; i < spaces.size(); i++) {
            spaces.get(i).flattenInto(list.get(i), out, position);
            position += spaces.get(i).flatDim();
        }
    }

    @Override
    public String toString() {
        return spaces.stream().map(Space::toString).collect(Collectors.joining(", ", "Tuple(", ")"));
    }
}
