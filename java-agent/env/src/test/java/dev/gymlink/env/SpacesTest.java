package dev.gymlink.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.random.NumpyRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Space semantics against Gymnasium's: membership, sampling, flattening and repr. */
class SpacesTest {

    private static final Box UNIT_FLOAT32 = Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32);

    private static Box box(DType dtype, double[] low, double[] high, int... shape) {
        return new Box(shape, dtype, low, high);
    }

    private static double[] range(int from, int to, double plus) {
        return IntStream.range(from, to).mapToDouble(i -> i + plus).toArray();
    }

    private static double[] float32Linspace(double plus) {
        return IntStream.range(0, 20).mapToDouble(i -> (double) (float) ((float) (-1 + i * (2.0 / 19)) + (float) plus))
                .toArray();
    }

    /** Expected strings are Gymnasium 1.4 / numpy 2.4 reprs of the same spaces. */
    @Test
    void reprsMatchGymnasium() {
        assertEquals("Box(-2.0, 2.0, (1,), float32)", Box.uniform(-2, 2, new int[] {1}, DType.FLOAT32).toString());
        assertEquals("Box(0, 255, (2, 2), uint8)", Box.uniform(0, 255, new int[] {2, 2}, DType.UINT8).toString());
        assertEquals("Box([], [], (2, 0), float32)", Box.uniform(0, 1, new int[] {2, 0}, DType.FLOAT32).toString());
        assertEquals("Box(-inf, inf, (2,), int64)",
                new Box(new int[] {2}, DType.INT64, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                        new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}).toString());
        assertEquals("Box([-1.  0.], [1.  0.5], (2,), float64)",
                box(DType.FLOAT64, new double[] {-1, 0}, new double[] {1, 0.5}, 2).toString());
        assertEquals("Box(-inf, inf, (3,), float32)",
                Box.uniform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {3}, DType.FLOAT32).toString());
        assertEquals("Box(-0.05, 0.05, (3,), float32)",
                Box.uniform((float) -0.05, (float) 0.05, new int[] {3}, DType.FLOAT32).toString());
        assertEquals("Box([-1.0e-05 -3.4e+38], [1.0e+00 3.4e+38], (2,), float32)",
                box(DType.FLOAT32, new double[] {(float) -1e-5, (float) -3.4e38}, new double[] {1, (float) 3.4e38}, 2)
                        .toString());
        assertEquals("Box([[0. 1. 2.]\n [3. 4. 5.]], [[0.5 1.5 2.5]\n [3.5 4.5 5.5]], (2, 3), float64)",
                box(DType.FLOAT64, range(0, 6, 0), range(0, 6, 0.5), 2, 3).toString());
        assertEquals("Box([0.000e+00 1.000e+00 2.000e+00 ... 1.197e+03 1.198e+03 1.199e+03], "
                + "[1.000e+00 2.000e+00 3.000e+00 ... 1.198e+03 1.199e+03 1.200e+03], (1200,), float32)",
                box(DType.FLOAT32, range(0, 1200, 0), range(0, 1200, 1), 1200).toString());
        assertEquals("Box([ 0 -3], [ 10 200], (2,), int64)",
                box(DType.INT64, new double[] {0, -3}, new double[] {10, 200}, 2).toString());
        assertEquals("Box([0.12345679 0.        ], [1. 2.], (2,), float64)",
                box(DType.FLOAT64, new double[] {0.123456789012, 0}, new double[] {1, 2}, 2).toString());
        assertEquals("Box(-1000000.0, 1000000.0, (2,), float64)",
                Box.uniform(-1e6, 1e6, new int[] {2}, DType.FLOAT64).toString());
        assertEquals("Box(-1e+06, 1e+06, (2,), float32)", Box.uniform(-1e6, 1e6, new int[] {2}, DType.FLOAT32).toString());

        assertEquals("MultiDiscrete([3 2])", MultiDiscrete.of(3, 2).toString());
        assertEquals("MultiDiscrete([10  2], start=[1 0])",
                new MultiDiscrete(new int[] {2}, new long[] {10, 2}, new long[] {1, 0}).toString());
        assertEquals("MultiDiscrete([[2 3]\n [4 5]])",
                new MultiDiscrete(new int[] {2, 2}, new long[] {2, 3, 4, 5}, new long[4]).toString());
        assertEquals("Discrete(3, start=-1)", new Discrete(3, -1).toString());
        assertEquals("MultiBinary(4)", MultiBinary.of(4).toString());
        assertEquals("MultiBinary((2, 3))", new MultiBinary(new int[] {2, 3}).toString());
        assertEquals("Tuple(Discrete(2), Box(-1.0, 1.0, (2,), float32))", Tuple.of(new Discrete(2), UNIT_FLOAT32).toString());
        Map<String, Space> entries = new LinkedHashMap<>();
        entries.put("a", new Discrete(2));
        entries.put("b", MultiBinary.of(3));
        assertEquals("Dict('a': Discrete(2), 'b': MultiBinary(3))", new Dict(entries).toString());
        assertEquals("Text(1, 3, charset=ab)", new Text(1, 3, "ab").toString());
    }

    @Test
    void longFloatArraysWrapAt75Characters() {
        String expectedLow = "[-1.         -0.8947368  -0.7894737  -0.68421054 -0.57894737 -0.47368422\n"
                + " -0.36842105 -0.2631579  -0.15789473 -0.05263158  0.05263158  0.15789473\n"
                + "  0.2631579   0.36842105  0.47368422  0.57894737  0.68421054  0.7894737\n"
                + "  0.8947368   1.        ]";
        String expectedHigh = "[0.         0.10526317 0.21052629 0.31578946 0.42105263 0.5263158\n"
                + " 0.6315789  0.7368421  0.84210527 0.94736844 1.0526316  1.1578947\n"
                + " 1.2631578  1.3684211  1.4736842  1.5789473  1.6842105  1.7894738\n"
                + " 1.8947368  2.        ]";
        Box box = box(DType.FLOAT32, float32Linspace(0), float32Linspace(1), 20);
        assertEquals("Box(" + expectedLow + ", " + expectedHigh + ", (20,), float32)", box.toString());
    }

    @Test
    void discreteHoldsWholeNumbersInItsRange() {
        Discrete d = new Discrete(3, -1);
        assertTrue(d.contains(-1L));
        assertTrue(d.contains(1));
        assertFalse(d.contains(2L));
        assertFalse(d.contains(-2));
        assertFalse(d.contains(0.0));
        assertFalse(d.contains(null));
        assertFalse(d.contains("0"));
        assertThrows(IllegalArgumentException.class, () -> new Discrete(0));
    }

    @Test
    void boxChecksShapeDtypeBoundsAndWholeness() {
        assertTrue(UNIT_FLOAT32.contains(Tensor.float32(0.5f, -1f)));
        assertFalse(UNIT_FLOAT32.contains(Tensor.float32(0.5f, 1.5f)), "above high");
        assertFalse(UNIT_FLOAT32.contains(Tensor.float32(0.5f)), "wrong shape");
        assertFalse(UNIT_FLOAT32.contains(Tensor.float32(Float.NaN, 0f)), "nan");
        // numpy's can_cast: float64 and int32 do not fit float32 safely, int16 does.
        assertFalse(UNIT_FLOAT32.contains(Tensor.vector(DType.FLOAT64, 0, 0)));
        assertFalse(UNIT_FLOAT32.contains(Tensor.vector(DType.INT32, 0, 0)));
        assertTrue(UNIT_FLOAT32.contains(Tensor.vector(DType.INT16, 0, 1)));
        Box bytes = Box.uniform(0, 255, new int[] {2}, DType.UINT8);
        assertTrue(bytes.contains(Tensor.vector(DType.UINT8, 0, 255)));
        assertFalse(bytes.contains(Tensor.vector(DType.UINT8, 0, 1.5)), "integer box holds whole numbers");
        assertFalse(bytes.contains(0L));
        assertThrows(IllegalArgumentException.class,
                () -> new Box(new int[] {2}, DType.FLOAT32, new double[] {1, 0}, new double[] {0, 1}));
    }

    @Test
    void multiDiscreteAndMultiBinaryCheckEveryComponent() {
        MultiDiscrete md = new MultiDiscrete(new int[] {2}, new long[] {3, 2}, new long[] {1, 0});
        assertTrue(md.contains(Tensor.vector(DType.INT64, 3, 1)));
        assertFalse(md.contains(Tensor.vector(DType.INT64, 0, 1)), "below start");
        assertFalse(md.contains(Tensor.vector(DType.INT64, 4, 0)), "at start + n");
        assertFalse(md.contains(Tensor.vector(DType.FLOAT32, 1, 0)), "float dtype");
        MultiBinary mb = MultiBinary.of(3);
        assertTrue(mb.contains(Tensor.vector(DType.INT8, 0, 1, 1)));
        assertFalse(mb.contains(Tensor.vector(DType.INT8, 0, 2, 1)));
        assertFalse(mb.contains(Tensor.vector(DType.INT8, 0, 1)));
    }

    @Test
    void compositeSpacesCheckTheirParts() {
        Tuple tuple = Tuple.of(new Discrete(2), UNIT_FLOAT32);
        assertTrue(tuple.contains(List.of(1L, Tensor.float32(0f, 0f))));
        assertFalse(tuple.contains(List.of(2L, Tensor.float32(0f, 0f))));
        assertFalse(tuple.contains(List.of(1L)));
        Dict dict = new Dict(Map.of("a", new Discrete(2)));
        assertTrue(dict.contains(Map.of("a", 0L)));
        assertFalse(dict.contains(Map.of("a", 0L, "b", 1L)));
        assertFalse(dict.contains(Map.of("b", 0L)));
        Text text = new Text(1, 3, "ab");
        assertTrue(text.contains("aba"));
        assertFalse(text.contains(""));
        assertFalse(text.contains("abab"));
        assertFalse(text.contains("c"));
    }

    @Test
    void samplesBelongToTheirSpace() {
        RandomGenerator rng = new SplittableRandom(42);
        List<Space> spaces = List.of(
                new Discrete(3, -1),
                UNIT_FLOAT32,
                Box.uniform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {3}, DType.FLOAT32),
                box(DType.FLOAT64, new double[] {0, Double.NEGATIVE_INFINITY},
                        new double[] {Double.POSITIVE_INFINITY, 0}, 2),
                Box.uniform(0, 255, new int[] {2, 2}, DType.UINT8),
                Box.uniform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {2}, DType.INT8),
                new MultiDiscrete(new int[] {2}, new long[] {3, 2}, new long[] {1, 0}),
                MultiBinary.of(5),
                Tuple.of(new Discrete(2), MultiBinary.of(2)),
                new Dict(Map.of("x", new Discrete(4), "y", UNIT_FLOAT32)),
                new Text(0, 4, "xyz"));
        for (Space space : spaces) {
            for (int i = 0; i < 200; i++) {
                Object sample = space.sample(rng);
                assertTrue(space.contains(sample), () -> PythonRepr.describeValue(sample) + " sampled from " + space);
            }
        }
    }

    /**
     * Values printed by Gymnasium 1.4 / numpy 2.4, e.g.
     * {@code t = Text(6, min_length=0, charset="zebra!", seed=0); [t.sample() for _ in range(5)]}.
     */
    @Test
    void seededSamplesMatchGymnasium() {
        Text unsorted = new Text(0, 6, "zebra!");
        assertEquals(List.of("ezza!", "rar!", "z", "!zae!", ""), samples(unsorted, NumpyRandom.seeded(0), 5));
        assertEquals(List.of("", "b!az!", "azbb!", "raber", "arab!!"), samples(unsorted, NumpyRandom.seeded(42), 5));
        // Text(3, min_length=3, charset="qwertyuiop", seed=9): a fixed length draws no integer
        assertEquals(List.of("oeu", "iip", "opq"), samples(new Text(3, 3, "qwertyuiop"), NumpyRandom.seeded(9), 3));
        // Discrete(7, start=-3, seed=5)
        assertEquals(List.of(1L, 2L, -3L, 2L, 0L, 0L), samples(new Discrete(7, -3), NumpyRandom.seeded(5), 6));
        assertEquals("Text(1, 3, charset=!aberz)", new Text(1, 3, "zebra!").toString(), "Gymnasium's repr sorts");
        // Box(-1, 2, (3,), float32, seed=0): one uniform per element, rounded to float32
        assertEquals(List.of(Tensor.float32(0.9108850359916687f, -0.19063985347747803f, -0.877079427242279f),
                        Tensor.float32(-0.9504171013832092f, 1.4398107528686523f, 1.7382667064666748f)),
                samples(Box.uniform(-1, 2, new int[] {3}, DType.FLOAT32), NumpyRandom.seeded(0), 2));
        // Box([-1, 0], [1, 5.5], dtype=float64, seed=1)
        assertEquals(List.of(Tensor.vector(DType.FLOAT64, 0.023643249400513433, 5.227550329792644),
                        Tensor.vector(DType.FLOAT64, -0.7116807745607325, 5.217571959254841)),
                samples(box(DType.FLOAT64, new double[] {-1, 0}, new double[] {1, 5.5}, 2), NumpyRandom.seeded(1), 2));
    }

    private static List<Object> samples(Space space, RandomGenerator rng, int count) {
        return IntStream.range(0, count).mapToObj(i -> space.sample(rng)).toList();
    }

    @Test
    void textCharsetListsEachCharacterOnce() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new Text(1, 2, "abca"));
        assertEquals("Text charset 'abca' repeats 'a'; each character is listed once", error.getMessage());
    }

    @Test
    void discreteSamplesCoverEveryValue() {
        RandomGenerator rng = new SplittableRandom(7);
        Discrete d = new Discrete(4, 10);
        boolean[] seen = new boolean[4];
        for (int i = 0; i < 400; i++) {
            seen[d.indexOf(d.sample(rng))] = true;
        }
        assertArrayEquals(new boolean[] {true, true, true, true}, seen);
    }

    @Test
    void flatteningFollowsGymnasium() {
        // gymnasium.spaces.flatten(Discrete(3, start=-1), -1) == [1 0 0]
        assertArrayEquals(new float[] {1, 0, 0}, new Discrete(3, -1).flatten(-1L));
        // flatten(MultiDiscrete([3 2], start=[1 0]), [2 1]) == [0 1 0 0 1]
        MultiDiscrete md = new MultiDiscrete(new int[] {2}, new long[] {3, 2}, new long[] {1, 0});
        assertArrayEquals(new float[] {0, 1, 0, 0, 1}, md.flatten(Tensor.vector(DType.INT64, 2, 1)));
        assertArrayEquals(new float[] {0.5f, -1f}, UNIT_FLOAT32.flatten(Tensor.float32(0.5f, -1f)));
        Tuple tuple = Tuple.of(new Discrete(2), UNIT_FLOAT32);
        assertEquals(4, tuple.flatDim());
        assertArrayEquals(new float[] {0, 1, 0.25f, 0.5f}, tuple.flatten(List.of(1L, Tensor.float32(0.25f, 0.5f))));
        Map<String, Space> entries = new LinkedHashMap<>();
        entries.put("b", MultiBinary.of(2));
        entries.put("a", new Discrete(2));
        Dict dict = new Dict(entries);
        assertArrayEquals(new float[] {1, 0, 1, 0}, dict.flatten(Map.of("a", 0L, "b", Tensor.vector(DType.INT8, 1, 0))));
        float[] out = {9, 9, 9, 9};
        new Discrete(2).flattenInto(1L, out, 1);
        assertArrayEquals(new float[] {9, 0, 1, 9}, out, "writes only its own slice");
        assertThrows(IllegalArgumentException.class, () -> new Discrete(2).flatten(2L));
        assertThrows(UnsupportedOperationException.class, () -> new Text(1, 2, "a").flatDim());
    }

    @Test
    void checkContainsNamesTheValueAndTheSpace() {
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> new Discrete(2).checkContains(2L, "action"));
        assertEquals("action 2 is not in Discrete(2)", error.getMessage());
    }
}
