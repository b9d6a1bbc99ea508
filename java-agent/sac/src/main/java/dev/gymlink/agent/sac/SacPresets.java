package dev.gymlink.agent.sac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gymlink.agent.run.SolveCriterion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
            "target_entropy", "net_arch", "n_envs", "eval_episodes", "eval_every_steps", "solve_threshold",
            "stop_when_solved");

    private static SacPresets bundled;

    private final Map<String, SacConfig> byEnvId;

    private SacPresets(Map<String, SacConfig> byEnvId) {
        this.byEnvId = Collections.unmodifiableMap(byEnvId);
    }

    /** The presets shipped in {@value #RESOURCE}, parsed once. */
    public static synchronized SacPresets bundled() {
        if (bundled == null) {
            try (InputStream in = SacPresets.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the preset file " + RESOURCE + " is missing from the classpath");
                }
                bundled = parse(in.readAllBytes(), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
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
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode envs = root == null ? null : root.get("envs");
        if (envs == null || !envs.isObject()) {
            throw new IllegalArgumentException(origin + " needs an \"envs\" object mapping env ids to entries");
        }
        Map<String, SacConfig> byEnvId = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = envs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String where = origin + ", " + field.getKey();
            try {
                byEnvId.put(field.getKey(), config(field.getKey(), field.getValue(), where));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(origin) ? e.getMessage()
                        : where + ": " + e.getMessage(), e);
            }
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

    private static SacConfig config(String envId, JsonNode entry, String where) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + " has the unknown key \"" + key + "\"; known: "
                        + new java.util.TreeSet<>(KEYS));
            }
        }
        JsonNode source = entry.get("source");
        if (source == null || !source.isTextual() || source.asText().isBlank()) {
            throw new IllegalArgumentException(where + " needs a \"source\" saying where its numbers come from");
        }
        SacConfig defaults = SacConfig.defaults();
        SacConfig.Builder b = defaults.toBuilder().origin(envId);
        if (entry.has("n_timesteps")) b.totalSteps(number(entry, "n_timesteps", where).longValue());
        if (entry.has("learning_rate")) b.learningRate(number(entry, "learning_rate", where).doubleValue());
        if (entry.has("batch_size")) b.batchSize(number(entry, "batch_size", where).intValue());
        if (entry.has("buffer_size")) b.bufferSize(number(entry, "buffer_size", where).intValue());
        if (entry.has("learning_starts")) b.learningStarts(number(entry, "learning_starts", where).longValue());
        if (entry.has("gamma")) b.gamma(number(entry, "gamma", where).doubleValue());
        if (entry.has("tau")) b.tau(number(entry, "tau", where).doubleValue());
        if (entry.has("train_freq")) b.trainFrequency(number(entry, "train_freq", where).intValue());
        if (entry.has("gradient_steps")) b.gradientSteps(number(entry, "gradient_steps", where).intValue());
        if (entry.has("n_envs")) b.numEnvs(number(entry, "n_envs", where).intValue());
        double target = entry.has("target_entropy") ? number(entry, "target_entropy", where).doubleValue() : Double.NaN;
        SacConfig.Entropy entropy = entry.has("ent_coef")
                ? entropy(entry.get("ent_coef"), target, where)
                : new SacConfig.Entropy(defaults.entropy().initial(), defaults.entropy().learned(), target);
        b.entropy(entropy);
        if (entry.has("net_arch")) {
            JsonNode arch = entry.get("net_arch");
            if (!arch.isArray() || arch.isEmpty()) {
                throw new IllegalArgumentException(where + ": net_arch must be a list of layer widths, got " + arch);
            }
            List<Integer> widths = new ArrayList<>();
            arch.forEach(w -> widths.add(w.asInt()));
            b.hiddenSizes(widths);
        }
        SolveCriterion solve = defaults.solve();
        double threshold = entry.has("solve_threshold")
                ? number(entry, "solve_threshold", where).doubleValue() : solve.threshold();
        int episodes = entry.has("eval_episodes")
                ? number(entry, "eval_episodes", where).intValue() : solve.evalEpisodes();
        long every = entry.has("eval_every_steps")
                ? number(entry, "eval_every_steps", where).longValue() : solve.evalEverySteps();
        boolean stop = entry.has("stop_when_solved")
                ? entry.get("stop_when_solved").asBoolean() : solve.stopWhenSolved();
        b.solve(new SolveCriterion(threshold, episodes, every, stop));
        return b.build();
    }

    /** The zoo's {@code ent_coef}: {@code "auto"}, {@code "auto_0.1"} (learned from 0.1) or a fixed number. */
    private static SacConfig.Entropy entropy(JsonNode value, double target, String where) {
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
        throw new IllegalArgumentException(where + ": ent_coef must be \"auto\", \"auto_<initial>\" or a number, got "
                + value);
    }

    private static Number number(JsonNode entry, String key, String where) {
        JsonNode value = entry.get(key);
        if (!value.isNumber()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a number, got " + value);
        }
        return value.numberValue();
    }
}
