package dev.gymlink.agent.dqn;

import dev.gymlink.agent.mlp.NetworkBackend;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gymlink.agent.run.SolveCriterion;
import java.util.List;
import java.util.Objects;

/**
 * Everything that decides what a DQN run learns: network, optimiser, exploration, update
 * schedule, target network and budget. Immutable and validated on construction; the two presets
 * {@link #tutorial()} and {@link #defaults()} are the one place holding default values, and
 * {@link #toBuilder()} derives variants.
 *
 * @param origin where this config started: {@code tutorial}, {@code defaults}, or the env id whose tuned
 *     hyperparameters it took (recorded in provenance; older run directories call it {@code preset})
 * @param hiddenSizes widths of the ReLU hidden layers; the output layer is linear, one unit per action
 * @param weightInit how initial weights are drawn
 * @param backend which {@link QNetwork} implementation computes the network
 * @param loss TD loss on {@code Q(s, a) - target}
 * @param learningRate Adam step size
 * @param adamEpsilon Adam's denominator guard
 * @param maxGradNorm gradients are rescaled to this global L2 norm when larger; infinity turns clipping off
 * @param gamma discount factor
 * @param bufferSize replay capacity in transitions (oldest overwritten first)
 * @param batchSize transitions per gradient step ({@link UpdateSchedule.AfterEpisode}: transitions per replay)
 * @param exploration how epsilon of epsilon-greedy acting evolves
 * @param updates when gradient steps happen
 * @param targetNetwork where bootstrap targets come from
 * @param doubleDqn choose the next action with the online net, value it with the target net
 * @param bootstrapOnTruncation true: a truncated episode's last state keeps its value (only terminated
 *     cuts the bootstrap); false: both end the return (the tutorial's single {@code done})
 * @param episodeEndReward reward that replaces the env's reward on an episode's last step (the
 *     tutorial's -10); NaN keeps the env's reward
 * @param totalSteps env-step budget (summed over copies)
 * @param maxEpisodes episode budget; training stops at whichever budget is reached first
 * @param numEnvs env copies stepped together, acting in one batched forward pass
 * @param seed root seed; every random component gets its own stream split from it
 * @param solve when the env counts as solved, and whether training stops then
 */
public record DqnConfig(
        @JsonAlias("preset") String origin,
        List<Integer> hiddenSizes,
        WeightInit weightInit,
        NetworkBackend backend,
        Loss loss,
        double learningRate,
        double adamEpsilon,
        double maxGradNorm,
        double gamma,
        int bufferSize,
        int batchSize,
        Exploration exploration,
        UpdateSchedule updates,
        TargetNetwork targetNetwork,
        boolean doubleDqn,
        boolean bootstrapOnTruncation,
        double episodeEndReward,
        long totalSteps,
        long maxEpisodes,
        int numEnvs,
        long seed,
        SolveCriterion solve) {

    public DqnConfig {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(weightInit, "weightInit");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(exploration, "exploration");
        Objects.requireNonNull(updates, "updates");
        Objects.requireNonNull(targetNetwork, "targetNetwork");
        Objects.requireNonNull(solve, "solve");
        hiddenSizes = List.copyOf(hiddenSizes);
        for (int width : hiddenSizes) {
            require(width > 0 && width <= 65_536, "hidden layer width must be in 1..65536, got " + hiddenSizes);
        }
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be positive, got " + learningRate);
        require(adamEpsilon > 0, "adamEpsilon must be positive, got " + adamEpsilon);
        require(maxGradNorm > 0, "maxGradNorm must be positive (infinity disables clipping), got " + maxGradNorm);
        require(gamma >= 0 && gamma <= 1, "gamma must be in [0, 1], got " + gamma);
        require(bufferSize > 0, "bufferSize must be positive, got " + bufferSize);
        require(batchSize > 0 && batchSize <= bufferSize,
                "batchSize must be in 1..bufferSize (" + bufferSize + "), got " + batchSize);
        require(!Double.isInfinite(episodeEndReward), "episodeEndReward must be finite or NaN, got " + episodeEndReward);
        require(totalSteps > 0, "totalSteps must be positive, got " + totalSteps);
        require(maxEpisodes > 0, "maxEpisodes must be positive, got " + maxEpisodes);
        require(numEnvs > 0 && numEnvs <= 4096, "numEnvs must be in 1..4096, got " + numEnvs);
        if (targetNetwork instanceof TargetNetwork.None && doubleDqn) {
            throw new IllegalArgumentException("doubleDqn needs a target network, but targetNetwork is None");
        }
        if (updates instanceof UpdateSchedule.EveryEnvSteps every && every.learningStarts() < batchSize) {
            // Sampling draws distinct transitions, so the first update needs a full batch stored.
            throw new IllegalArgumentException("learningStarts (" + every.learningStarts()
                    + ") must be at least batchSize (" + batchSize + ")");
        }
        if (exploration instanceof Exploration.DecayPerReplay && !(updates instanceof UpdateSchedule.AfterEpisode)) {
            throw new IllegalArgumentException(
                    "exploration DecayPerReplay decays once per episode replay, so it needs updates AfterEpisode, got "
                            + updates);
        }
    }

    /**
     * The seed tutorial (keon's "Deep Q-Learning with Keras and Gym"), reproduced: Dense 24-24 ReLU
     * with Glorot-uniform init, linear output, MSE, Adam 0.001, gamma 0.95, epsilon from 1.0
     * multiplied by 0.995 after each replay down to 0.01, a 2,000-transition memory, and after every
     * episode one replay of 32 distinct transitions, each fitted on its own (batch of one), with no
     * target network. The episode's last reward becomes -10 and any episode end counts as terminal.
     * Its 1,000 episodes are the budget.
     */
    public static DqnConfig tutorial() {
        return new DqnConfig(
                "tutorial",
                List.of(24, 24),
                WeightInit.GLOROT_UNIFORM,
                NetworkBackend.JAVA,
                Loss.MSE,
                0.001,
                1e-7,
                Double.POSITIVE_INFINITY,
                0.95,
                2_000,
                32,
                new Exploration.DecayPerReplay(1.0, 0.01, 0.995),
                new UpdateSchedule.AfterEpisode(),
                new TargetNetwork.None(),
                false,
                false,
                -10.0,
                1_000_000,
                1_000,
                1,
                0,
                SolveCriterion.envThreshold(20, 10_000, false));
    }

    /**
     * A DQN that learns CartPole reliably and fast: Double DQN with a hard-updated target network,
     * Huber loss, gradient-norm clipping at 10, gamma 0.99, epsilon linear from 1 to 0.04 over the
     * first 8,000 env steps, learning after 1,000 steps in bursts of 128 minibatch updates every 256
     * env steps (the target refreshed between bursts), bootstrapping through time-limit truncation,
     * four env copies acting in one batch, and a greedy 20-episode evaluation every 2,500 steps that
     * stops training once the env's reward threshold is met. The schedule follows the tuned
     * CartPole settings of rl-baselines3-zoo with a 64-64 network instead of 256-256, which the
     * plain-Java backend updates about 8x faster. The budget is twice the zoo's 50,000 steps: since
     * every autoreset is seeded (for exact replay after a server restart), seeds 1-10 solve within
     * 50,000 steps 7 times, and the other three just after (52,500-55,000); a run stops once solved.
     */
    public static DqnConfig defaults() {
        return new DqnConfig(
                "defaults",
                List.of(64, 64),
                WeightInit.FAN_IN_UNIFORM,
                NetworkBackend.AUTO,
                Loss.HUBER,
                2.3e-3,
                1e-8,
                10.0,
                0.99,
                50_000,
                64,
                new Exploration.Linear(1.0, 0.04, 8_000),
                new UpdateSchedule.EveryEnvSteps(1_000, 256, 128),
                new TargetNetwork.Hard(256),
                true,
                true,
                Double.NaN,
                100_000,
                Long.MAX_VALUE,
                4,
                0,
                SolveCriterion.envThreshold(20, 2_500, true));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public DqnConfig withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    public DqnConfig withTotalSteps(long steps) {
        return toBuilder().totalSteps(steps).build();
    }

    public DqnConfig withNumEnvs(int copies) {
        return toBuilder().numEnvs(copies).build();
    }

    public DqnConfig withBackend(NetworkBackend newBackend) {
        return toBuilder().backend(newBackend).build();
    }

    public DqnConfig withHiddenSizes(List<Integer> sizes) {
        return toBuilder().hiddenSizes(sizes).build();
    }

    /** One line for logs and progress headers. */
    public String summary() {
        return origin + ": hidden " + hiddenSizes + ", " + loss + ", lr " + learningRate + ", gamma " + gamma
                + ", batch " + batchSize + ", buffer " + bufferSize + ", " + exploration + ", " + updates + ", target "
                + targetNetwork + (doubleDqn ? ", double DQN" : "") + ", " + numEnvs + " envs, backend " + backend
                + ", seed " + seed;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public enum Loss {
        /** Squared TD error. */
        MSE,
        /** Squared below an error of 1, linear above (PyTorch's smooth L1): outliers do not dominate. */
        HUBER;

        /** The loss of one TD error (prediction minus target). */
        public double value(float error) {
            if (this == MSE) {
                return (double) error * error;
            }
            return Math.abs(error) <= 1f ? 0.5 * error * error : Math.abs(error) - 0.5;
        }

        /** d value / d error, what backpropagation starts from. */
        public float slope(float error) {
            if (this == MSE) {
                return 2 * error;
            }
            return Math.abs(error) <= 1f ? error : Math.signum(error);
        }
    }

    public enum WeightInit {
        /** Keras' default: weights U(+-sqrt(6 / (fan_in + fan_out))), zero biases. */
        GLOROT_UNIFORM,
        /** PyTorch's nn.Linear default: weights and biases U(+-1 / sqrt(fan_in)). */
        FAN_IN_UNIFORM
    }

    /** How epsilon evolves. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
    @JsonSubTypes({@JsonSubTypes.Type(Exploration.Linear.class), @JsonSubTypes.Type(Exploration.DecayPerReplay.class)})
    public sealed interface Exploration {

        /** Epsilon after this many env steps and episode replays. */
        double epsilon(long envSteps, long replays);

        /** The longest run of one exploratory action; 1: every step chooses anew. */
        default int actionRepeat() {
            return 1;
        }

        /**
         * From {@code start} to {@code end} linearly over {@code decaySteps} env steps, then constant.
         *
         * <p>{@code maxActionRepeat} above 1 makes exploration temporally extended ("epsilon-z-greedy",
         * Dabney, Ostrovski and Barreto, ICLR 2021): an exploratory action is held for a number of steps
         * drawn uniformly from 1 to {@code maxActionRepeat}, during which no new choice is made. Single
         * random steps cancel each other out where progress needs momentum (MountainCar: random steps
         * never reach the flag in 200 steps, actions held up to 32 steps reach it in about one
         * episode of ten). A held action may run on into the copy's next episode.
         */
        record Linear(double start, double end, long decaySteps, int maxActionRepeat) implements Exploration {
            public Linear {
                checkProbability("start", start);
                checkProbability("end", end);
                if (decaySteps <= 0) {
                    throw new IllegalArgumentException("decaySteps must be positive, got " + decaySteps);
                }
                if (maxActionRepeat < 1) {
                    throw new IllegalArgumentException("maxActionRepeat must be at least 1 (1: a new choice every step), got "
                            + maxActionRepeat);
                }
            }

            /** Classic epsilon-greedy: every step chooses anew. */
            public Linear(double start, double end, long decaySteps) {
                this(start, end, decaySteps, 1);
            }

            /** Run directories written before {@code maxActionRepeat} existed hold no such field: 1. */
            @JsonCreator
            static Linear fromJson(@JsonProperty("start") double start, @JsonProperty("end") double end,
                    @JsonProperty("decaySteps") long decaySteps, @JsonProperty("maxActionRepeat") Integer maxActionRepeat) {
                return new Linear(start, end, decaySteps, maxActionRepeat == null ? 1 : maxActionRepeat);
            }

            @Override
            public int actionRepeat() {
                return maxActionRepeat;
            }

            @Override
            public double epsilon(long envSteps, long replays) {
                double progress = Math.min(1.0, (double) envSteps / decaySteps);
                return start + progress * (end - start);
            }

            @Override
            public String toString() {
                return "epsilon " + start + "->" + end + " over " + decaySteps + " steps"
                        + (maxActionRepeat > 1 ? ", exploratory actions held 1-" + maxActionRepeat + " steps" : "");
            }
        }

        /**
         * Multiplied by {@code factor} after each replay while still above {@code min} (so it stops at
         * the first value at or below {@code min}, as the tutorial's {@code if epsilon > min} does).
         */
        record DecayPerReplay(double start, double min, double factor) implements Exploration {
            public DecayPerReplay {
                checkProbability("start", start);
                checkProbability("min", min);
                if (!(factor > 0 && factor <= 1)) {
                    throw new IllegalArgumentException("factor must be in (0, 1], got " + factor);
                }
            }

            @Override
            public double epsilon(long envSteps, long replays) {
                double epsilon = start;
                for (long i = 0; i < replays && epsilon > min; i++) {
                    epsilon *= factor;
                }
                return epsilon;
            }

            @Override
            public String toString() {
                return "epsilon " + start + " x" + factor + " per replay, min " + min;
            }
        }

        private static void checkProbability(String name, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("epsilon " + name + " must be in [0, 1], got " + value);
            }
        }
    }

    /** When gradient steps happen. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
    @JsonSubTypes({@JsonSubTypes.Type(UpdateSchedule.EveryEnvSteps.class),
            @JsonSubTypes.Type(UpdateSchedule.AfterEpisode.class)})
    public sealed interface UpdateSchedule {

        /**
         * After {@code learningStarts} env steps, {@code gradientSteps} minibatch updates every
         * {@code trainFrequency} env steps.
         */
        record EveryEnvSteps(long learningStarts, int trainFrequency, int gradientSteps) implements UpdateSchedule {
            public EveryEnvSteps {
                if (learningStarts < 0) {
                    throw new IllegalArgumentException("learningStarts must be >= 0, got " + learningStarts);
                }
                if (trainFrequency <= 0 || gradientSteps <= 0) {
                    throw new IllegalArgumentException("trainFrequency and gradientSteps must be positive, got "
                            + trainFrequency + " and " + gradientSteps);
                }
            }

            @Override
            public String toString() {
                return gradientSteps + " update(s) per " + trainFrequency + " steps after " + learningStarts;
            }
        }

        /**
         * The tutorial's schedule: when an episode ends (and memory holds a batch), one replay of
         * {@code batchSize} distinct transitions, each fitted alone.
         */
        record AfterEpisode() implements UpdateSchedule {
            @Override
            public String toString() {
                return "replay after each episode";
            }
        }
    }

    /** Where bootstrap targets come from. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME)
    @JsonSubTypes({@JsonSubTypes.Type(TargetNetwork.None.class), @JsonSubTypes.Type(TargetNetwork.Hard.class),
            @JsonSubTypes.Type(TargetNetwork.Polyak.class)})
    public sealed interface TargetNetwork {

        /** The online network bootstraps itself (the tutorial). */
        record None() implements TargetNetwork {
            @Override
            public String toString() {
                return "none";
            }
        }

        /** A copy of the online network, refreshed every {@code intervalSteps} env steps. */
        record Hard(long intervalSteps) implements TargetNetwork {
            public Hard {
                if (intervalSteps <= 0) {
                    throw new IllegalArgumentException("target intervalSteps must be positive, got " + intervalSteps);
                }
            }

            @Override
            public String toString() {
                return "hard every " + intervalSteps + " steps";
            }
        }

        /** Every {@code intervalSteps} env steps, {@code target = tau * online + (1 - tau) * target}. */
        record Polyak(double tau, long intervalSteps) implements TargetNetwork {
            public Polyak {
                if (!(tau > 0 && tau <= 1)) {
                    throw new IllegalArgumentException("Polyak tau must be in (0, 1], got " + tau);
                }
                if (intervalSteps <= 0) {
                    throw new IllegalArgumentException("target intervalSteps must be positive, got " + intervalSteps);
                }
            }

            @Override
            public String toString() {
                return "Polyak tau " + tau + " every " + intervalSteps + " steps";
            }
        }
    }

    /** Overrides on top of a preset: {@code DqnConfig.defaults().toBuilder().seed(3).build()}. */
    public static final class Builder {
        private String origin;
        private List<Integer> hiddenSizes;
        private WeightInit weightInit;
        private NetworkBackend backend;
        private Loss loss;
        private double learningRate;
        private double adamEpsilon;
        private double maxGradNorm;
        private double gamma;
        private int bufferSize;
        private int batchSize;
        private Exploration exploration;
        private UpdateSchedule updates;
        private TargetNetwork targetNetwork;
        private boolean doubleDqn;
        private boolean bootstrapOnTruncation;
        private double episodeEndReward;
        private long totalSteps;
        private long maxEpisodes;
        private int numEnvs;
        private long seed;
        private SolveCriterion solve;

        private Builder(DqnConfig c) {
            origin = c.origin;
            hiddenSizes = c.hiddenSizes;
            weightInit = c.weightInit;
            backend = c.backend;
            loss = c.loss;
            learningRate = c.learningRate;
            adamEpsilon = c.adamEpsilon;
            maxGradNorm = c.maxGradNorm;
            gamma = c.gamma;
            bufferSize = c.bufferSize;
            batchSize = c.batchSize;
            exploration = c.exploration;
            updates = c.updates;
            targetNetwork = c.targetNetwork;
            doubleDqn = c.doubleDqn;
            bootstrapOnTruncation = c.bootstrapOnTruncation;
            episodeEndReward = c.episodeEndReward;
            totalSteps = c.totalSteps;
            maxEpisodes = c.maxEpisodes;
            numEnvs = c.numEnvs;
            seed = c.seed;
            solve = c.solve;
        }

        public Builder origin(String value) { origin = value; return this; }
        public Builder hiddenSizes(List<Integer> value) { hiddenSizes = value; return this; }
        public Builder weightInit(WeightInit value) { weightInit = value; return this; }
        public Builder backend(NetworkBackend value) { backend = value; return this; }
        public Builder loss(Loss value) { loss = value; return this; }
        public Builder learningRate(double value) { learningRate = value; return this; }
        public Builder adamEpsilon(double value) { adamEpsilon = value; return this; }
        public Builder maxGradNorm(double value) { maxGradNorm = value; return this; }
        public Builder gamma(double value) { gamma = value; return this; }
        public Builder bufferSize(int value) { bufferSize = value; return this; }
        public Builder batchSize(int value) { batchSize = value; return this; }
        public Builder exploration(Exploration value) { exploration = value; return this; }
        public Builder updates(UpdateSchedule value) { updates = value; return this; }
        public Builder targetNetwork(TargetNetwork value) { targetNetwork = value; return this; }
        public Builder doubleDqn(boolean value) { doubleDqn = value; return this; }
        public Builder bootstrapOnTruncation(boolean value) { bootstrapOnTruncation = value; return this; }
        public Builder episodeEndReward(double value) { episodeEndReward = value; return this; }
        public Builder totalSteps(long value) { totalSteps = value; return this; }
        public Builder maxEpisodes(long value) { maxEpisodes = value; return this; }
        public Builder numEnvs(int value) { numEnvs = value; return this; }
        public Builder seed(long value) { seed = value; return this; }
        public Builder solve(SolveCriterion value) { solve = value; return this; }

        public DqnConfig build() {
            return new DqnConfig(origin, hiddenSizes, weightInit, backend, loss, learningRate, adamEpsilon,
                    maxGradNorm, gamma, bufferSize, batchSize, exploration, updates, targetNetwork, doubleDqn,
                    bootstrapOnTruncation, episodeEndReward, totalSteps, maxEpisodes, numEnvs, seed, solve);
        }
    }
}
