package dev.gymlink.testkit;

import dev.gymlink.env.Tensor;
import dev.gymlink.env.MultiDiscrete;
import dev.gymlink.env.Dict;
import dev.gymlink.env.DType;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Graph;
import dev.gymlink.env.GraphInstance;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Text;
import dev.gymlink.env.MultiBinary;
import dev.gymlink.env.Box;
import dev.gymlink.env.Tuple;
import dev.gymlink.env.Space;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Values that a space must reject, derived from the space itself, for contract tests. */
public final class InvalidValues {

    private InvalidValues() {}

    /**
     * Wrong types, out-of-range and wrong-shape values and null; every returned value is checked
     * not to be in the space.
     */
    public static List<Object> notIn(Space space) {
        List<Object> candidates = new ArrayList<>();
        candidates.add(null);
        candidates.add(new Object());
        candidates.add(Double.NaN);
        if (space instanceof Discrete d) {
            candidates.add(d.start() + d.n());
            candidates.add(d.start() - 1);
            candidates.add((int) (d.start() + d.n()));
            candidates.add((double) d.start());
            candidates.add(String.valueOf(d.start()));
            candidates.add(List.of(d.start()));
        } else if (space instanceof Box b) {
            candidates.add(0L);
            candidates.add(new Tensor(b.dtype(), new int[] {b.size() + 1}, new double[b.size() + 1]));
            double[] tooHigh = new double[b.size()];
            double[] nan = new double[b.size()];
            for (int i = 0; i < b.size(); i++) {
                tooHigh[i] = Double.isInfinite(b.high()[i]) ? 0 : b.high()[i] + Math.max(1, Math.abs(b.high()[i]));
                nan[i] = Double.NaN;
            }
            if (Arrays.stream(b.high()).anyMatch(Double::isFinite)) {
                candidates.add(new Tensor(b.dtype(), b.shape().clone(), tooHigh));
            }
            candidates.add(new Tensor(b.dtype(), b.shape().clone(), nan));
        } else if (space instanceof MultiDiscrete m) {
            double[] tooHigh = new double[m.nvec().length];
            for (int i = 0; i < tooHigh.length; i++) {
                tooHigh[i] = m.start()[i] + m.nvec()[i];
            }
            candidates.add(new Tensor(DType.INT64, m.shape().clone(), tooHigh));
            candidates.add(new Tensor(DType.INT64, new int[] {tooHigh.length + 1}, new double[tooHigh.length + 1]));
            candidates.add(0L);
        } else if (space instanceof MultiBinary m) {
            int size = Tensor.sizeOf(m.shape());
            double[] twos = new double[size];
            Arrays.fill(twos, 2);
            candidates.add(new Tensor(DType.INT8, m.shape().clone(), twos));
            candidates.add(new Tensor(DType.INT8, new int[] {size + 1}, new double[size + 1]));
        } else if (space instanceof Tuple t) {
            candidates.add(List.of());
            candidates.add(Arrays.asList(new Object[t.spaces().size() + 1]));
        } else if (space instanceof Dict d) {
            candidates.add(Map.of());
            candidates.add(Map.of("not-a-key-of-the-space", 0L));
        } else if (space instanceof Text t) {
            candidates.add(12L);
            candidates.add("x".repeat(t.maxLength() + 1));
        } else if (space instanceof Graph) {
            candidates.add(List.of());
            candidates.add(GraphInstance.ofNodes(new Tensor(DType.INT64, new int[0], new double[] {0})));
        } else if (space instanceof Sequence) {
            candidates.add("not a sequence");
        } else if (space instanceof OneOf o) {
            candidates.add(new OneOf.Choice(o.spaces().size(), 0L));
            candidates.add(List.of(0L, 0L));
        }
        candidates.removeIf(space::contains);
        return candidates;
    }
}
