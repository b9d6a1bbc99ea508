package dev.gymlink.env.cartpole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.random.NumpyRandom;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays golden data written by real Gymnasium and numpy
 * ({@code src/test/python/generate_cartpole_golden.py}) and demands bit-exact agreement: every
 * float32 observation, float64 state, reward and flag.
 */
class CartPoleGoldenTest {

    private static final String GOLDEN = "/golden/cartpole-v1.txt";
    private static List<String[]> lines;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = CartPoleGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " is missing from the test resources");
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split(" "))
                    .toList();
        }
    }

    private static List<String[]> linesOf(String kind) {
        return lines.stream().filter(fields -> fields[0].equals(kind)).toList();
    }

    /** The glibc build (plain or FMA) whose sin/cos numpy used when the golden file was written. */
    private static LibmTrig recordedTrig() {
        List<String[]> trig = linesOf("trig");
        assertTrue(trig.size() >= 100, "golden file has too few trig lines");
        for (LibmTrig candidate : List.of(LibmTrig.FUSED, LibmTrig.PLAIN)) {
            boolean all = trig.stream().allMatch(f -> {
                double x = f64(f[1]);
                return bits(candidate.sin(x)) == bits(f64(f[2])) && bits(candidate.cos(x)) == bits(f64(f[3]));
            });
            if (all) {
                return candidate;
            }
        }
        throw new AssertionError("neither glibc build's sin/cos reproduces the golden np.sin/np.cos values");
    }

    @Test
    void sinAndCosRoundLikeNumpyOnTheMachineThatWroteTheGoldenFile() {
        LibmTrig trig = recordedTrig();
        // The other build must disagree somewhere, or the check above could not tell them apart.
        LibmTrig other = trig == LibmTrig.FUSED ? LibmTrig.PLAIN : LibmTrig.FUSED;
        long disagreements = linesOf("trig").stream()
                .filter(f -> bits(other.sin(f64(f[1]))) != bits(f64(f[2])) || bits(other.cos(f64(f[1]))) != bits(f64(f[3])))
                .count();
        assertTrue(disagreements > 0, "the golden angles do not tell the two glibc builds apart");
    }

    @Test
    void numpyRandomMatchesNumpyForSmallAndLargeSeeds() {
        List<String[]> rng = linesOf("rng");
        assertTrue(rng.size() >= 5);
        for (String[] f : rng) {
            BigInteger seed = new BigInteger(f[1]);
            NumpyRandom raw = NumpyRandom.seeded(seed);
            for (int i = 0; i < 3; i++) {
                assertEquals(Long.parseUnsignedLong(f[2 + i], 16), raw.nextLong(), "seed " + seed + " raw word " + i);
            }
            NumpyRandom uniform = NumpyRandom.seeded(seed);
            for (int i = 0; i < 4; i++) {
                assertEquals(bits(f64(f[5 + i])), bits(uniform.uniform(-0.05, 0.05)), "seed " + seed + " uniform " + i);
            }
        }
    }

    @Test
    void trajectoriesMatchGymnasiumExactly() throws Exception {
        LibmTrig trig = recordedTrig();
        CartPole env = null;
        Replay replay = new Replay();
        for (String[] f : lines) {
            switch (f[0]) {
                case "env" -> {
                    if (env != null) {
                        env.close();
                    }
                    env = new CartPole(new CartPole.Options(Integer.parseInt(f[1]), f[2].equals("1")), trig);
                    replay.envs++;
                }
                case "reset" -> {
                    Map<String, Object> options = new HashMap<>();
                    if (!f[2].equals("-")) {
                        options.put("low", Double.parseDouble(f[2]));
                    }
                    if (!f[3].equals("-")) {
                        options.put("high", Double.parseDouble(f[3]));
                    }
                    OptionalLong seed = f[1].equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(f[1]));
                    Tensor obs = (Tensor) env.reset(seed, options).observation();
                    replay.compareObservation(obs, f, 4, "reset " + String.join(" ", Arrays.copyOf(f, 4)));
                    replay.compareState(env.state(), f, 8);
                    replay.resets++;
                }
                case "step" -> {
                    StepResult result = env.step(Long.parseLong(f[1]));
                    String where = "step " + (env.elapsedSteps()) + " of episode after reset " + replay.resets;
                    replay.compareObservation((Tensor) result.observation(), f, 2, where);
                    replay.check(result.reward() == Double.parseDouble(f[6]), where + ": reward " + result.reward());
                    replay.check(result.terminated() == f[7].equals("1"), where + ": terminated " + result.terminated());
                    replay.check(result.truncated() == f[8].equals("1"), where + ": truncated " + result.truncated());
                    replay.steps++;
                }
                case "state" -> replay.compareState(env.state(), f, 1);
                default -> { }
            }
        }
        assertTrue(replay.steps > 2000 && replay.resets > 80, "golden file replayed too little: " + replay.steps);
        assertEquals(0.0, replay.maxObservationDifference, "max |obs difference|; first mismatches: " + replay.mismatches);
        assertEquals(List.of(), replay.mismatches, "mismatches in " + replay.steps + " steps");
    }

    /** Tallies differences instead of stopping at the first, so a failure shows their extent. */
    private static final class Replay {
        int envs;
        int resets;
        int steps;
        double maxObservationDifference;
        final List<String> mismatches = new ArrayList<>();

        void compareObservation(Tensor obs, String[] f, int from, String where) {
            for (int i = 0; i < 4; i++) {
                float expected = Float.intBitsToFloat(Integer.parseUnsignedInt(f[from + i], 16));
                double actual = obs.get(i);
                maxObservationDifference = Math.max(maxObservationDifference, Math.abs(actual - expected));
                check(Float.floatToRawIntBits((float) actual) == Float.floatToRawIntBits(expected),
                        where + ": obs[" + i + "] " + actual + " != " + expected);
            }
        }

        void compareState(double[] state, String[] f, int from) {
            for (int i = 0; i < 4; i++) {
                check(bits(state[i]) == bits(f64(f[from + i])),
                        "after " + steps + " steps: state[" + i + "] " + state[i] + " != " + f64(f[from + i]));
            }
        }

        void check(boolean ok, String message) {
            if (!ok && mismatches.size() < 20) {
                mismatches.add(message);
            }
        }
    }

    private static double f64(String hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }
}
