package dev.gymlink.agent.sac;

import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.run.SolveCriterion;
import java.util.List;
import java.util.Objects;

/**
 * Everything that decides what a SAC run learns: networks, optimiser, entropy tuning, update
 * schedule, target networks and budget. Immutable and validated on construction; {@link #defaults()}
 * holds the default values (Stable-Baselines3's SAC defaults with smaller networks, see there), the
 * per-env presets ({@link SacPresets}) change some of them, and {@link #toBuilder()} derives variants.
 *
 * @param origin where this config started: {@code defaults} or the env id whose preset it took
 * @param hiddenSizes widths of the ReLU hidden layers of the actor and of each critic
 * @param backend which implementation computes the networks ({@link #resolvedBackend()} says what
 *     {@code AUTO} becomes); run directories written before the field existed read as {@code JAVA}, what they ran on
 * @param learningRate Adam step size of actor, critics and entropy coefficient
 * @param adamEpsilon Adam's denominator guard (PyTorch's 1e-8)
 * @param gamma discount factor
 * @param tau Polyak coefficient of the critics' target networks, blended after every gradient step
 * @param bufferSize replay capacity in transitions (oldest overwritten first)
 * @param batchSize transitions per gradient step, sampled uniformly with replacement
 * @param learningStarts env steps of uniformly random actions before the policy acts and learning begins
 * @param trainFrequency env steps between rounds of gradient steps
 * @param gradientSteps gradient steps per round
 * @param entropy how the entropy coefficient alpha is set
 * @param sde generalized state-dependent exploration (gSDE) instead of independent Gaussian noise per step
 * @param totalSteps env-step budget (summed over copies)
 * @param maxEpisodes episode budget; training stops at whichever budget is reached first
 * @param numEnvs env copies stepped together, acting in one batched forward pass
 * @param seed root seed; every random component gets its own stream split from it
 * @param solve when greedy evaluations run, when the env counts as solved, and whether training stops then
 */
public record SacConfig(
        String origin,
        List<Integer> hiddenSizes,
        NetworkBackend backend,
        double learningRate,
        double adamEpsilon,
        double gamma,
        double tau,
        int bufferSize,
        int batchSize,
        long learningStarts,
        int trainFrequency,
        int gradientSteps,
        Entropy entropy,
        StateDependentNoise sde,
        long totalSteps,
        long maxEpisodes,
        int numEnvs,
        long seed,
        SolveCriterion solve) {

    public SacConfig {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(entropy, "entropy");
        backend = backend == null ? NetworkBackend.JAVA : backend;
        // Absent in run directories written before gSDE existed.
        sde = sde == null ? StateDependentNoise.off() : sde;
        Objects.requireNonNull(solve, "solve");
        hiddenSizes = List.copyOf(hiddenSizes);
        require(!hiddenSizes.isEmpty(), "hiddenSizes needs at least one layer, got []");
        for (int width : hiddenSizes) {
            require(width > 0 && width <= 65_536, "hidden layer width must be in 1..65536, got " + hiddenSizes);
        }
        require(learningRate > 0 && Double.isFinite(learningRate),
                "learningRate must be positive, got " + learningRate);
        require(adamEpsilon > 0, "adamEpsilon must be positive, got " + adamEpsilon);
        require(gamma >= 0 && gamma <= 1, "gamma must be in [0, 1], got " + gamma);
        require(tau > 0 && tau <= 1, "tau must be in (0, 1], got " + tau);
        require(bufferSize > 0, "bufferSize must be positive, got " + bufferSize);
        require(batchSize > 0, "batchSize must be positive, got " + batchSize);
        require(learningStarts >= 0, "learningStarts must be >= 0, got " + learningStarts);
        require(trainFrequency > 0, "trainFrequency must be positive, got " + trainFrequency);
        require(gradientSteps > 0, "gradientSteps must be positive, got " + gradientSteps);
        require(totalSteps > 0, "totalSteps must be positive, got " + totalSteps);
        require(maxEpisodes > 0, "maxEpisodes must be positive, got " + maxEpisodes);
        require(numEnvs > 0 && numEnvs <= 4096, "numEnvs must be in 1..4096, got " + numEnvs);
    }

    /**
     * Stable-Baselines3's SAC defaults (lr 3e-4, gamma 0.99, tau 0.005, batch 256, learning after
     * 100 steps, one gradient step per env step, alpha learned from 1.0 towards an entropy of
     * {@code -action dimensions}) with 64-64 networks instead of 256-256, which the plain-Java
     * networks update several times faster, and a 300,000-transition buffer instead of 10^6.
     * Greedy evaluation of 10 episodes every 2,000 steps; training runs the whole budget.
     */
    public static SacConfig defaults() {
        return new SacConfig(
                "defaults",
                List.of(64, 64),
                NetworkBackend.AUTO,
                3e-4,
                1e-8,
                0.99,
                0.005,
                300_000,
                256,
                100,
                1,
                1,
                Entropy.auto(1.0),
                StateDependentNoise.off(),
                1_000_000,
                Long.MAX_VALUE,
                1,
                0,
                SolveCriterion.envThreshold(10, 2_000, false));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public SacConfig withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    public SacConfig withTotalSteps(long steps) {
        return toBuilder().totalSteps(steps).build();
    }

    /** One line for logs and progress headers. */
    public String summary() {
        return "SAC " + origin + ": hidden " + hiddenSizes + ", lr " + learningRate + ", gamma " + gamma + ", tau "
                + tau + ", batch " + batchSize + ", buffer " + bufferSize + ", learning after " + learningStarts
                + " steps, " + gradientSteps + " gradient step(s) every " + trainFrequency + " step(s), " + entropy
                + (sde.enabled() ? ", " + sde : "") + ", " + numEnvs + " envs, backend " + backend
                + (backend == NetworkBackend.AUTO ? " (" + resolvedBackend() + ")" : "") + ", seed " + seed;
    }

    /** The backend the networks run on: {@code AUTO} resolved by {@link NetworkBackend#resolve}, others as asked. */
    public NetworkBackend resolvedBackend() {
        return backend.resolve(hiddenSizes, batchSize);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The entropy coefficient alpha.
     *
     * @param initial alpha at the start (fixed when not learned)
     * @param learned true: alpha is learned so that the policy's entropy approaches {@code target}
     * @param target target entropy; NaN means {@code -action dimensions}, SAC's usual choice
     */
    public record Entropy(double initial, boolean learned, double target) {
        public Entropy {
            if (!(initial > 0) || !Double.isFinite(initial)) {
                throw new IllegalArgumentException("the entropy coefficient must be positive, got " + initial);
            }
            if (Double.isInfinite(target)) {
                throw new IllegalArgumentException("target entropy must be finite or NaN, got " + target);
            }
        }

        /** Learned from {@code initial}, towards {@code -action dimensions}. */
        public static Entropy auto(double initial) {
            return new Entropy(initial, true, Double.NaN);
        }

        /** Fixed at {@code alpha}. */
        public static Entropy fixed(double alpha) {
            return new Entropy(alpha, false, Double.NaN);
        }

        /** The target for an action space of {@code actionDimensions} elements. */
        public double targetFor(int actionDimensions) {
            return Double.isNaN(target) ? -actionDimensions : target;
        }

        @Override
        public String toString() {
            return learned
                    ? "alpha learned from " + initial + (Double.isNaN(target) ? "" : " towards entropy " + target)
                    : "alpha fixed at " + initial;
        }
    }

    /**
     * Generalized state-dependent exploration (Raffin, Kober and Stulp, CoRL 2021), as Stable-Baselines3's
     * {@code use_sde}: the actor outputs only the Gaussian's mean, and its noise is
     * {@code latent(s) . E}, where {@code latent(s)} are the actor's last hidden features and
     * {@code E ~ N(0, exp(logStd)^2)} is a matrix held fixed for a while, so exploration is smooth
     * in time and state instead of fresh white noise each step (what MountainCarContinuous needs to
     * reach the flag). The per-element log standard deviations {@code logStd} are learned parameters.
     * While acting, each env copy draws a fresh {@code E} every {@code sampleFrequency} vector steps,
     * or once per round of {@code trainFrequency} steps when it is -1; each gradient step draws one.
     *
     * @param enabled false: SAC's usual actor with a state-dependent mean and log std per action
     * @param logStdInit the initial value of every element of {@code logStd}
     * @param sampleFrequency vector steps between fresh noise matrices while acting, or -1
     */
    public record StateDependentNoise(boolean enabled, double logStdInit, int sampleFrequency) {
        public StateDependentNoise {
            if (!Double.isFinite(logStdInit)) {
                throw new IllegalArgumentException("sde.logStdInit must be finite, got " + logStdInit);
            }
            if (sampleFrequency != -1 && sampleFrequency <= 0) {
                throw new IllegalArgumentException("sde.sampleFrequency must be positive or -1 (once per round of"
                        + " trainFrequency steps), got " + sampleFrequency);
            }
        }

        /** Off; the values are Stable-Baselines3's defaults for when it is turned on. */
        public static StateDependentNoise off() {
            return new StateDependentNoise(false, -3, -1);
        }

        public static StateDependentNoise on(double logStdInit, int sampleFrequency) {
            return new StateDependentNoise(true, logStdInit, sampleFrequency);
        }

        @Override
        public String toString() {
            return enabled ? "gSDE (log std from " + logStdInit + ", noise redrawn "
                    + (sampleFrequency == -1 ? "each training round" : "every " + sampleFrequency + " steps") + ")"
                    : "gSDE off";
        }
    }

    /** Overrides on top of a preset: {@code SacConfig.defaults().toBuilder().seed(3).build()}. */
    public static final class Builder {
        private String origin;
        private List<Integer> hiddenSizes;
        private NetworkBackend backend;
        private double learningRate;
        private double adamEpsilon;
        private double gamma;
        private double tau;
        private int bufferSize;
        private int batchSize;
        private long learningStarts;
        private int trainFrequency;
        private int gradientSteps;
        private Entropy entropy;
        private StateDependentNoise sde;
        private long totalSteps;
        private long maxEpisodes;
        private int numEnvs;
        private long seed;
        private SolveCriterion solve;

        private Builder(SacConfig c) {
            origin = c.origin;
            hiddenSizes = c.hiddenSizes;
            backend = c.backend;
            learningRate = c.learningRate;
            adamEpsilon = c.adamEpsilon;
            gamma = c.gamma;
            tau = c.tau;
            bufferSize = c.bufferSize;
            batchSize = c.batchSize;
            learningStarts = c.learningStarts;
            trainFrequency = c.trainFrequency;
            gradientSteps = c.gradientSteps;
            entropy = c.entropy;
            sde = c.sde;
            totalSteps = c.totalSteps;
            maxEpisodes = c.maxEpisodes;
            numEnvs = c.numEnvs;
            seed = c.seed;
            solve = c.solve;
        }

        public Builder origin(String value) { origin = value; return this; }
        public Builder hiddenSizes(List<Integer> value) { hiddenSizes = value; return this; }
        public Builder backend(NetworkBackend value) { backend = value; return this; }
        public Builder learningRate(double value) { learningRate = value; return this; }
        public Builder adamEpsilon(double value) { adamEpsilon = value; return this; }
        public Builder gamma(double value) { gamma = value; return this; }
        public Builder tau(double value) { tau = value; return this; }
        public Builder bufferSize(int value) { bufferSize = value; return this; }
        public Builder batchSize(int value) { batchSize = value; return this; }
        public Builder learningStarts(long value) { learningStarts = value; return this; }
        public Builder trainFrequency(int value) { trainFrequency = value; return this; }
        public Builder gradientSteps(int value) { gradientSteps = value; return this; }
        public Builder entropy(Entropy value) { entropy = value; return this; }
        public Builder sde(StateDependentNoise value) { sde = value; return this; }
        public Builder totalSteps(long value) { totalSteps = value; return this; }
        public Builder maxEpisodes(long value) { maxEpisodes = value; return this; }
        public Builder numEnvs(int value) { numEnvs = value; return this; }
        public Builder seed(long value) { seed = value; return this; }
        public Builder solve(SolveCriterion value) { solve = value; return this; }

        public SacConfig build() {
            return new SacConfig(origin, hiddenSizes, backend, learningRate, adamEpsilon, gamma, tau, bufferSize, batchSize,
                    learningStarts, trainFrequency, gradientSteps, entropy, sde, totalSteps, maxEpisodes, numEnvs, seed,
                    solve);
        }
    }
}
