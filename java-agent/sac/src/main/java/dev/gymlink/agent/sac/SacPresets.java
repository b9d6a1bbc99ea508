package dev.gymlink.agent.sac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gymlink.agent.run.SolveCriterion;
import dev.gymlink.agent.tuning.HyperparameterEntry;
import dev.gymlink.agent.tuning.HyperparameterFile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-env SAC presets, kept as data in {@value #RESOURCE} under rl-baselines3-zoo's key names
 * ({@code hyperparams/sac.yml}: {@code learning_rate}, {@code ent_coef}, ...); an entry names only
 * what differs from {@link SacConfig#defaults()} and must say in {@code source} where its numbers
 * come from. The mapping from those keys onto {@link SacConfig} lives here and nowhere else.
 */
public final class SacPresets {

    /** Classpath location of the bundled presets. */
    public static final String RESOURCE = "/dev/gymlink/agent/sac/sac-presets.json";

    /** The keys an entry may have; anything else is a typo and refused. */
    private static final Set<String> KEYS = Set.of("source", "n_timesteps", "learning_rate", "batch_size",
            "buffer_size", "learning_starts", "gamma", "tau", "train_freq", "gradient_steps", "ent_coef",
            "target_entropy", "net_arch", "use_sde", "sde_sample_freq", "log_std_init", "n_envs", "eval_episodes", "eval_every_steps", "solve_threshold",
            "stop_when_solved");

    private static SacPresets bundled;

    private final Map<String, SacConfig> byEnvId;

    private SacPresets(Map<String, SacConfig> byEnvId) {
        this.byEnvId = Collections.unmodifiableMap(byEnvId);
    }

    /** The presets shipped in {@value #RESOURCE}, parsed once. */
    public static synchronized SacPresets bundled() {
        if (bundled == null) {
            bundled = parse(HyperparameterFile.bundled(SacPresets.class, RESOURCE, "preset file"), RESOURCE);
        }
        return bundled;
    }

    /**
     * Parses a preset file.
     *
     * @param origin where the bytes came from, for error messages
     * @throws IllegalArgumentException naming the file, the env and the bad key or value
     */
    public static SacPresets parse(byte[] json, String origin) {
        Map<String, SacConfig> byEnvId = new LinkedHashMap<>();
        for (HyperparameterEntry entry : HyperparameterFile.entries(json, origin)) {
            byEnvId.put(entry.envId(), config(entry));
        }
        return new SacPresets(byEnvId);
    }

    /** The config for an env: its preset's, else {@link SacConfig#defaults()}. */
    public SacConfig config(String envId) {
        return find(envId).orElseGet(SacConfig::defaults);
    }

    /** The preset of an env id, when there is one. */
    public Optional<SacConfig> find(String envId) {
        return Optional.ofNullable(byEnvId.get(envId));
    }

    /** Env ids with a preset. */
    public Set<String> envIds() {
        return byEnvId.keySet();
    }

    private static SacConfig config(HyperparameterEntry entry) {
        entry.requireShape(KEYS);
        try {
            SacConfig defaults = SacConfig.defaults();
            SacConfig.Builder b = defaults.toBuilder().origin(entry.envId());
            entry.integer("n_timesteps").ifPresent(b::totalSteps);
            entry.number("learning_rate").ifPresent(b::learningRate);
            entry.smallInteger("batch_size").ifPresent(b::batchSize);
            entry.smallInteger("buffer_size").ifPresent(b::bufferSize);
            entry.integer("learning_starts").ifPresent(b::learningStarts);
            entry.number("gamma").ifPresent(b::gamma);
            entry.number("tau").ifPresent(b::tau);
            entry.smallInteger("train_freq").ifPresent(b::trainFrequency);
            entry.smallInteger("gradient_steps").ifPresent(b::gradientSteps);
            entry.smallInteger("n_envs").ifPresent(b::numEnvs);
            double target = entry.number("target_entropy").orElse(Double.NaN);
            JsonNode coefficient = entry.node().get("ent_coef");
            b.entropy(coefficient != null ? entropy(entry, coefficient, target)
                    : new SacConfig.Entropy(defaults.entropy().initial(), defaults.entropy().learned(), target));
            entry.intList("net_arch").ifPresent(b::hiddenSizes);
            SacConfig.StateDependentNoise sde = defaults.sde();
            b.sde(new SacConfig.StateDependentNoise(entry.bool("use_sde").orElse(sde.enabled()),
                    entry.number("log_std_init").orElse(sde.logStdInit()),
                    entry.smallInteger("sde_sample_freq").orElse(sde.sampleFrequency())));
            SolveCriterion solve = defaults.solve();
            b.solve(new SolveCriterion(
                    entry.number("solve_threshold").orElse(solve.threshold()),
                    entry.smallInteger("eval_episodes").orElse(solve.evalEpisodes()),
                    entry.integer("eval_every_steps").orElse(solve.evalEverySteps()),
                    entry.bool("stop_when_solved").orElse(solve.stopWhenSolved())));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw entry.invalid(e);
        }
    }

    /** The zoo's {@code ent_coef}: {@code "auto"}, {@code "auto_0.1"} (learned from 0.1) or a fixed number. */
    private static SacConfig.Entropy entropy(HyperparameterEntry entry, JsonNode value, double target) {
        if (value.isNumber()) {
            return new SacConfig.Entropy(value.doubleValue(), false, target);
        }
        String text = value.asText();
        if (text.equals("auto")) {
            return new SacConfig.Entropy(1.0, true, target);
        }
        if (text.startsWith("auto_")) {
            try {
                return new SacConfig.Entropy(Double.parseDouble(text.substring(5)), true, target);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw entry.error("has ent_coef " + value + ", which must be \"auto\", \"auto_<initial>\" or a number");
    }
}
