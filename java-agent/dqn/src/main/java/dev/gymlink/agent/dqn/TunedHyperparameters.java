package dev.gymlink.agent.dqn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gymlink.agent.run.SolveCriterion;
import dev.gymlink.agent.tuning.HyperparameterEntry;
import dev.gymlink.agent.tuning.HyperparameterFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-env tuned DQN hyperparameters, kept as data in {@value #RESOURCE} the way rl-baselines3-zoo
 * keeps its hyperparameter files (the {@code default} preset of {@code gymlink train} starts from
 * the env's entry here): each entry names the zoo's keys ({@code learning_rate},
 * {@code train_freq}, ...) that differ from {@link DqnConfig#defaults()}, plus what
 * {@code gymnasium.make} needs for the env (kwargs such as {@code is_slippery=false}, a time limit).
 * The mapping from those keys onto {@link DqnConfig} lives here and nowhere else.
 *
 * <pre>{@code
 * TunedHyperparameters tuned = TunedHyperparameters.bundled();
 * DqnConfig config = tuned.config("Acrobot-v1").withSeed(1);                  // unknown ids: defaults()
 * TunedHyperparameters.EnvSettings env = tuned.envSettings("FrozenLake-v1"); // kwargs {is_slippery=false}
 * }</pre>
 */
public final class TunedHyperparameters {

    /** Classpath location of the bundled tunings. */
    public static final String RESOURCE = "/dev/gymlink/agent/dqn/tuned-hyperparameters.json";

    /** The keys an entry may have; anything else is a typo and refused. */
    private static final Set<String> KEYS = Set.of("source", "also_for", "env", "n_timesteps", "learning_rate",
            "batch_size", "buffer_size", "learning_starts", "gamma", "target_update_interval", "tau", "train_freq",
            "gradient_steps", "exploration_fraction", "exploration_initial_eps", "exploration_final_eps",
            "exploration_max_repeat", "net_arch",
            "max_grad_norm", "n_envs", "double_dqn", "eval_episodes", "eval_every_steps", "solve_threshold",
            "stop_when_solved");
    private static final Set<String> ENV_KEYS = Set.of("kwargs", "max_episode_steps");

    private static TunedHyperparameters bundled;

    private final Map<String, EnvTuning> byEnvId;

    private TunedHyperparameters(Map<String, EnvTuning> byEnvId) {
        this.byEnvId = Collections.unmodifiableMap(byEnvId);
    }

    /** The tunings shipped in {@value #RESOURCE}, parsed once. */
    public static synchronized TunedHyperparameters bundled() {
        if (bundled == null) {
            bundled = parse(HyperparameterFile.bundled(TunedHyperparameters.class, RESOURCE, "hyperparameter file"),
                    RESOURCE);
        }
        return bundled;
    }

    /**
     * Parses a hyperparameter file.
     *
     * @param origin where the bytes came from, for error messages
     * @throws IllegalArgumentException naming the file, the env and the bad key or value
     */
    public static TunedHyperparameters parse(byte[] json, String origin) {
        Map<String, EnvTuning> byEnvId = new LinkedHashMap<>();
        for (HyperparameterEntry entry : HyperparameterFile.entries(json, origin)) {
            EnvTuning tuning = new Entry(entry).toTuning();
            List<String> ids = new ArrayList<>(List.of(tuning.envId()));
            ids.addAll(tuning.alsoFor());
            for (String id : ids) {
                if (byEnvId.putIfAbsent(id, tuning) != null) {
                    throw new IllegalArgumentException(origin + " has two entries for " + id);
                }
            }
        }
        return new TunedHyperparameters(byEnvId);
    }

    /** The tuning for an env id (or one of the older ids it is also for). */
    public Optional<EnvTuning> find(String envId) {
        return Optional.ofNullable(byEnvId.get(envId));
    }

    /** The DQN config for an env: its tuning's, else {@link DqnConfig#defaults()}. */
    public DqnConfig config(String envId) {
        return find(envId).map(EnvTuning::config).orElseGet(DqnConfig::defaults);
    }

    /** What {@code gymnasium.make} should get for an env: its tuning's settings, else none. */
    public EnvSettings envSettings(String envId) {
        return find(envId).map(EnvTuning::env).orElse(EnvSettings.NONE);
    }

    /** Every env id with a tuning, sorted. */
    public Set<String> envIds() {
        return Collections.unmodifiableSet(new TreeSet<>(byEnvId.keySet()));
    }

    /**
     * One entry of the hyperparameter file.
     *
     * @param envId the id the entry is written for
     * @param alsoFor older ids of the same env (other Gymnasium releases) it serves too
     * @param source where the numbers come from
     * @param config the DQN config, named after {@code envId}
     * @param env what {@code gymnasium.make} gets besides the id
     */
    public record EnvTuning(String envId, List<String> alsoFor, String source, DqnConfig config, EnvSettings env) {
        public EnvTuning {
            Objects.requireNonNull(envId, "envId");
            alsoFor = List.copyOf(alsoFor);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(env, "env");
        }
    }

    /**
     * Env construction settings a tuning asks for.
     *
     * @param kwargs keyword arguments for {@code gymnasium.make}: Boolean, Long, Double, String, or
     *     List/Map of those (the value forms {@code EnvOptions} takes)
     * @param maxEpisodeSteps time limit replacing the registered one
     */
    public record EnvSettings(Map<String, Object> kwargs, OptionalInt maxEpisodeSteps) {
        public static final EnvSettings NONE = new EnvSettings(Map.of(), OptionalInt.empty());

        public EnvSettings {
            kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
            Objects.requireNonNull(maxEpisodeSteps, "maxEpisodeSteps");
            maxEpisodeSteps.ifPresent(steps -> {
                if (steps <= 0) {
                    throw new IllegalArgumentException("max_episode_steps must be positive, got " + steps);
                }
            });
        }

        public boolean isEmpty() {
            return kwargs.isEmpty() && maxEpisodeSteps.isEmpty();
        }

        /**
         * These settings with one more {@code gymnasium.make} argument given as text, as on a command
         * line: JSON when it reads as JSON ({@code false}, {@code 8}, {@code 0.5}, {@code [1, 2]},
         * {@code "text"}), else the text itself ({@code 8x8}). {@code max_episode_steps} sets the time
         * limit.
         *
         * @throws IllegalArgumentException for a blank name, a null value, or a bad time limit
         */
        public EnvSettings with(String name, String text) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an env kwarg needs a name: KEY=VALUE, got '=" + text + "'");
            }
            Object value;
            try {
                JsonNode node = new ObjectMapper().readTree(text);
                value = node == null || node.isMissingNode() ? text : kwargValue(node);
            } catch (JsonProcessingException e) {
                value = text;
            }
            if (value == null) {
                throw new IllegalArgumentException("env kwarg " + name + "=" + text + " is not a boolean, number, string,"
                        + " list or map");
            }
            if (name.equals("max_episode_steps")) {
                if (!(value instanceof Long steps) || steps <= 0 || steps > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("max_episode_steps must be a positive whole number, got " + text);
                }
                return new EnvSettings(kwargs, OptionalInt.of(steps.intValue()));
            }
            Map<String, Object> more = new LinkedHashMap<>(kwargs);
            more.put(name, value);
            return new EnvSettings(more, maxEpisodeSteps);
        }
    }

    /**
     * A JSON value as a {@code gymnasium.make} argument: Boolean, Long, Double, String, or List/Map
     * of those; null for anything else (JSON null).
     */
    private static Object kwargValue(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray()) {
            List<Object> items = new ArrayList<>();
            for (JsonNode item : value) {
                Object converted = kwargValue(item);
                if (converted == null) {
                    return null;
                }
                items.add(converted);
            }
            return items;
        }
        if (value.isObject()) {
            Map<String, Object> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                Object converted = kwargValue(entry.getValue());
                if (converted == null) {
                    return null;
                }
                entries.put(entry.getKey(), converted);
            }
            return entries;
        }
        return null;
    }

    /** Reads one entry's DQN keys; every error names the file, the env and the bad key or value. */
    private static final class Entry extends HyperparameterEntry {

        Entry(HyperparameterEntry entry) {
            super(entry);
        }

        EnvTuning toTuning() {
            String source = requireShape(KEYS);
            String envId = envId();
            try {
                DqnConfig defaults = DqnConfig.defaults();
                DqnConfig.Builder config = defaults.toBuilder().origin(envId);
                long totalSteps = integer("n_timesteps").orElse(defaults.totalSteps());
                config.totalSteps(totalSteps);
                number("learning_rate").ifPresent(config::learningRate);
                integer("batch_size").ifPresent(value -> config.batchSize(toInt("batch_size", value)));
                integer("buffer_size").ifPresent(value -> config.bufferSize(toInt("buffer_size", value)));
                number("gamma").ifPresent(config::gamma);
                number("max_grad_norm").ifPresent(config::maxGradNorm);
                integer("n_envs").ifPresent(value -> config.numEnvs(toInt("n_envs", value)));
                bool("double_dqn").ifPresent(config::doubleDqn);
                intList("net_arch").ifPresent(config::hiddenSizes);
                config.exploration(exploration(defaults, totalSteps));
                config.updates(updates(defaults));
                config.targetNetwork(targetNetwork(defaults));
                config.solve(solve(defaults.solve()));
                return new EnvTuning(envId, stringList("also_for"), source, config.build(), envSettings());
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
        }

        /**
         * Linear from the initial to the final epsilon over {@code exploration_fraction} of the budget;
         * {@code exploration_max_repeat} (gymlink's, not in the zoo) holds exploratory actions.
         */
        private DqnConfig.Exploration exploration(DqnConfig defaults, long totalSteps) {
            if (!(defaults.exploration() instanceof DqnConfig.Exploration.Linear linear)) {
                throw new IllegalStateException("DqnConfig.defaults() no longer explores linearly: " + defaults.exploration());
            }
            double start = number("exploration_initial_eps").orElse(linear.start());
            double end = number("exploration_final_eps").orElse(linear.end());
            long decaySteps = linear.decaySteps();
            Optional<Double> fraction = number("exploration_fraction");
            if (fraction.isPresent()) {
                if (!(fraction.get() > 0 && fraction.get() <= 1)) {
                    throw error("has exploration_fraction " + fraction.get() + ", which must be in (0, 1]");
                }
                decaySteps = Math.max(1, Math.round(fraction.get() * totalSteps));
            }
            int maxRepeat = toInt("exploration_max_repeat", integer("exploration_max_repeat").orElse(1L));
            return new DqnConfig.Exploration.Linear(start, end, decaySteps, maxRepeat);
        }

        /**
         * Every {@code target_update_interval} env steps the target becomes
         * {@code tau * online + (1 - tau) * target}; {@code tau} 1 (the default, as in
         * Stable-Baselines3) is a hard copy.
         */
        private DqnConfig.TargetNetwork targetNetwork(DqnConfig defaults) {
            Optional<Long> interval = integer("target_update_interval");
            Optional<Double> tau = number("tau");
            if (interval.isEmpty() && tau.isEmpty()) {
                return defaults.targetNetwork();
            }
            if (interval.isEmpty()) {
                throw error("has tau but no target_update_interval: say how often the target is blended");
            }
            return tau.isEmpty() || tau.get() == 1.0
                    ? new DqnConfig.TargetNetwork.Hard(interval.get())
                    : new DqnConfig.TargetNetwork.Polyak(tau.get(), interval.get());
        }

        /** {@code gradient_steps: -1} means one gradient step per env step, as in Stable-Baselines3. */
        private DqnConfig.UpdateSchedule updates(DqnConfig defaults) {
            if (!(defaults.updates() instanceof DqnConfig.UpdateSchedule.EveryEnvSteps every)) {
                throw new IllegalStateException("DqnConfig.defaults() no longer updates on the env-step clock: "
                        + defaults.updates());
            }
            long learningStarts = integer("learning_starts").orElse(every.learningStarts());
            int trainFrequency = toInt("train_freq", integer("train_freq").orElse((long) every.trainFrequency()));
            int gradientSteps = toInt("gradient_steps", integer("gradient_steps").orElse((long) every.gradientSteps()));
            // Stable-Baselines3 samples with replacement from a buffer smaller than a batch; this agent
            // cannot, so its first update must wait for a full batch.
            int batchSize = toInt("batch_size", integer("batch_size").orElse((long) defaults.batchSize()));
            if (learningStarts < batchSize) {
                throw error("has learning_starts " + learningStarts + " below batch_size " + batchSize
                        + ": the agent needs a full batch stored before its first update");
            }
            if (gradientSteps == -1) {
                gradientSteps = trainFrequency;
            }
            return new DqnConfig.UpdateSchedule.EveryEnvSteps(learningStarts, trainFrequency, gradientSteps);
        }

        private SolveCriterion solve(SolveCriterion defaults) {
            return new SolveCriterion(
                    number("solve_threshold").orElse(defaults.threshold()),
                    toInt("eval_episodes", integer("eval_episodes").orElse((long) defaults.evalEpisodes())),
                    integer("eval_every_steps").orElse(defaults.evalEverySteps()),
                    bool("stop_when_solved").orElse(defaults.stopWhenSolved()));
        }

        private EnvSettings envSettings() {
            JsonNode env = node().get("env");
            if (env == null) {
                return EnvSettings.NONE;
            }
            if (!env.isObject()) {
                throw error("has \"env\" " + env + ", which must be an object with kwargs and/or max_episode_steps");
            }
            for (Iterator<String> names = env.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!ENV_KEYS.contains(name)) {
                    throw error("has unknown env key '" + name + "'; known: " + new TreeSet<>(ENV_KEYS));
                }
            }
            Map<String, Object> kwargs = new LinkedHashMap<>();
            JsonNode kwargsNode = env.get("kwargs");
            if (kwargsNode != null) {
                if (!kwargsNode.isObject()) {
                    throw error("has env kwargs " + kwargsNode + ", which must be an object");
                }
                kwargsNode.fields().forEachRemaining(kwarg -> kwargs.put(kwarg.getKey(), kwargValue(kwarg.getKey(),
                        kwarg.getValue())));
            }
            OptionalInt maxSteps = OptionalInt.empty();
            JsonNode stepsNode = env.get("max_episode_steps");
            if (stepsNode != null) {
                if (!stepsNode.canConvertToInt() || !stepsNode.isIntegralNumber()) {
                    throw error("has env max_episode_steps " + stepsNode + ", which must be an integer");
                }
                maxSteps = OptionalInt.of(stepsNode.intValue());
            }
            return new EnvSettings(kwargs, maxSteps);
        }

        private Object kwargValue(String name, JsonNode value) {
            Object converted = TunedHyperparameters.kwargValue(value);
            if (converted == null) {
                throw error("has env kwarg " + name + " = " + value + ", which is not a boolean, number, string, list or map");
            }
            return converted;
        }
    }
}
