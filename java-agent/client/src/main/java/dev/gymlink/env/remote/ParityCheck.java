package dev.gymlink.env.remote;

import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.cartpole.CartPole;
import io.grpc.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Plays the same seeded episodes with the same random actions through two envs, e.g. the Java
 * CartPole and Gymnasium's CartPole-v1 behind an env server, and reports how far they drift apart.
 * Episode {@code e} resets both envs with seed {@code seed + e} and draws its actions from the
 * reference's action space with a generator seeded the same way, so every run is reproducible.
 */
public final class ParityCheck {

    /** How many mismatch descriptions a report keeps. */
    static final int KEPT_MISMATCHES = 10;

    private ParityCheck() {}

    /** Creates one of the two envs; the check closes it. */
    @FunctionalInterface
    public interface EnvFactory {
        Env create() throws EnvException;
    }

    /**
     * What a parity run found.
     *
     * @param episodes episodes played
     * @param steps steps compared (resets not counted)
     * @param maxObservationDifference largest absolute difference of any observation element
     *     (reset and step observations); infinite when observations differ in shape or kind
     * @param flagMismatches steps where terminated or truncated differ
     * @param rewardMismatches steps where the rewards differ
     * @param mismatches the first few mismatches, described
     */
    public record Report(
            int episodes,
            long steps,
            double maxObservationDifference,
            int flagMismatches,
            int rewardMismatches,
            List<String> mismatches) {

        public Report {
            mismatches = List.copyOf(mismatches);
        }

        /** True when both envs produced exactly the same numbers. */
        public boolean identical() {
            return maxObservationDifference == 0 && flagMismatches == 0 && rewardMismatches == 0;
        }

        @Override
        public String toString() {
            return episodes + " episodes, " + steps + " steps: max |obs difference| " + maxObservationDifference
                    + ", " + flagMismatches + " flag mismatches, " + rewardMismatches + " reward mismatches"
                    + (mismatches.isEmpty() ? "" : "; first: " + String.join("; ", mismatches));
        }
    }

    /** The Java CartPole against CartPole-v1 on the server behind {@code channel}. */
    public static Report cartPole(Channel channel, int episodes, long seed) throws EnvException {
        return run(CartPole::new, () -> RemoteEnv.connect(channel, EnvOptions.of(CartPole.ID)), episodes, seed);
    }

    public static Report run(EnvFactory reference, EnvFactory candidate, int episodes, long seed)
            throws EnvException {
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be at least 1, got " + episodes);
        }
        try (Env expected = reference.create(); Env actual = candidate.create()) {
            Tally tally = new Tally();
            for (int episode = 0; episode < episodes; episode++) {
                playEpisode(expected, actual, episode, seed + episode, tally);
            }
            return new Report(episodes, tally.steps, tally.maxDifference, tally.flagMismatches,
                    tally.rewardMismatches, tally.mismatches);
        }
    }

    private static void playEpisode(Env expected, Env actual, int episode, long episodeSeed, Tally tally)
            throws EnvException {
        tally.observe(expected.reset(episodeSeed).observation(), actual.reset(episodeSeed).observation(),
                "episode " + episode + " reset");
        SplittableRandom actions = new SplittableRandom(episodeSeed);
        for (int t = 1; ; t++) {
            Object action = expected.actionSpace().sample(actions);
            StepResult a = expected.step(action);
            StepResult b = actual.step(action);
            tally.steps++;
            String where = "episode " + episode + " step " + t;
            tally.observe(a.observation(), b.observation(), where);
            if (Double.compare(a.reward(), b.reward()) != 0) {
                tally.rewardMismatches++;
                tally.note(where + ": reward " + a.reward() + " vs " + b.reward());
            }
            if (a.terminated() != b.terminated() || a.truncated() != b.truncated()) {
                tally.flagMismatches++;
                tally.note(where + ": terminated/truncated " + a.terminated() + "/" + a.truncated() + " vs "
                        + b.terminated() + "/" + b.truncated());
            }
            if (a.done() || b.done()) {
                return;
            }
        }
    }

    /** Largest absolute element difference of two observations of the same form; infinite otherwise. */
    static double maxAbsDifference(Object a, Object b) {
        if (a instanceof Tensor x && b instanceof Tensor y) {
            if (!java.util.Arrays.equals(x.shape(), y.shape())) {
                return Double.POSITIVE_INFINITY;
            }
            double max = 0;
            for (int i = 0; i < x.size(); i++) {
                max = Math.max(max, difference(x.get(i), y.get(i)));
            }
            return max;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return difference(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof List<?> x && b instanceof List<?> y && x.size() == y.size()) {
            double max = 0;
            for (int i = 0; i < x.size(); i++) {
                max = Math.max(max, maxAbsDifference(x.get(i), y.get(i)));
            }
            return max;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y && x.keySet().equals(y.keySet())) {
            double max = 0;
            for (Object key : x.keySet()) {
                max = Math.max(max, maxAbsDifference(x.get(key), y.get(key)));
            }
            return max;
        }
        return Objects.equals(a, b) ? 0 : Double.POSITIVE_INFINITY;
    }

    private static double difference(double x, double y) {
        if (Double.compare(x, y) == 0) {
            return 0;
        }
        double difference = Math.abs(x - y);
        return Double.isNaN(difference) ? Double.POSITIVE_INFINITY : difference;
    }

    private static final class Tally {
        long steps;
        double maxDifference;
        int flagMismatches;
        int rewardMismatches;
        final List<String> mismatches = new ArrayList<>();

        void observe(Object expected, Object actual, String where) {
            double difference = maxAbsDifference(expected, actual);
            if (difference > 0) {
                note(where + ": observation " + expected + " vs " + actual);
            }
            maxDifference = Math.max(maxDifference, difference);
        }

        void note(String mismatch) {
            if (mismatches.size() < KEPT_MISMATCHES) {
                mismatches.add(mismatch);
            }
        }
    }
}
