package dev.gymlink.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.cli.plot.LearningCurve;
import dev.gymlink.train.listeners.EvaluationsCsvListener;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The directory a training run writes: {@code config.json} (the resolved settings),
 * {@code metrics.csv}, {@code evaluations.csv}, a TensorBoard event file, {@code learning-curve.png}
 * and the checkpoints.
 */
record RunDirectory(Path path) {

    static final String CONFIG_FILE = "config.json";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    // Whole numbers in env kwargs read back as Long, the integer form remote envs send.
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    /** {@code runs/<env>-<timestamp>}, with a suffix when that exists already. */
    static RunDirectory fresh(Path runsRoot, String envId, LocalDateTime now) {
        String base = envId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + STAMP.format(now);
        Path candidate = runsRoot.resolve(base);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = runsRoot.resolve(base + "-" + n);
        }
        return new RunDirectory(candidate);
    }

    Path config() {
        return path.resolve(CONFIG_FILE);
    }

    Path metrics() {
        return path.resolve(MetricsCsvListener.FILE_NAME);
    }

    Path evaluations() {
        return path.resolve(EvaluationsCsvListener.FILE_NAME);
    }

    Path learningCurve() {
        return path.resolve(LearningCurve.FILE_NAME);
    }

    void create() throws IOException {
        Files.createDirectories(path);
    }

    /** Writes the resolved run settings, so a run directory says exactly how it was made. */
    void writeConfig(RunSettings settings) throws IOException {
        JSON.writeValue(config().toFile(), settings);
    }

    static RunSettings readConfig(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CliException(runDirectory + " is not a gymlink run directory (no " + CONFIG_FILE
                    + "): pass the directory '" + Gymlink.programName() + " train' printed");
        }
        return JSON.readValue(file.toFile(), RunSettings.class);
    }

    /**
     * Reads a {@code --config} file: a run's config.json, or any part of one.
     *
     * @throws CliException when it is missing, not JSON, or has fields config.json does not have
     */
    static RunSettings.Template readTemplate(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new CliException("--config " + file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliException("cannot read --config " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CliException("--config " + file + " must hold a JSON object like a run's " + CONFIG_FILE);
        }
        List<String> fields = Arrays.stream(RunSettings.class.getRecordComponents()).map(RecordComponent::getName)
                .toList();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new CliException("--config " + file + " has the unknown field '" + name + "'; a run's "
                        + CONFIG_FILE + " has " + String.join(", ", fields));
            }
        }
        JsonNode envId = root.get("envId");
        if (envId != null && !envId.isTextual()) {
            throw new CliException("--config " + file + ": envId must be a string, got " + envId);
        }
        TunedHyperparameters.EnvSettings envSettings = null;
        if (root.has("envKwargs") || root.has("maxEpisodeSteps")) {
            try {
                JsonNode kwargs = root.path("envKwargs");
                JsonNode steps = root.path("maxEpisodeSteps");
                envSettings = new TunedHyperparameters.EnvSettings(
                        kwargs.isMissingNode() || kwargs.isNull() ? Map.of()
                                : JSON.convertValue(kwargs, JSON.getTypeFactory().constructMapType(Map.class,
                                        String.class, Object.class)),
                        steps.isMissingNode() || steps.isNull() ? OptionalInt.empty() : OptionalInt.of(steps.intValue()));
            } catch (IllegalArgumentException e) {
                throw new CliException("--config " + file + ": " + e.getMessage());
            }
        }
        JsonNode dqn = root.get("dqn");
        JsonNode sac = root.get("sac");
        dqn = dqn == null || dqn.isNull() ? null : dqn;
        sac = sac == null || sac.isNull() ? null : sac;
        if (dqn != null && sac != null) {
            throw new CliException("--config " + file + " has both a dqn and a sac object; a run's " + CONFIG_FILE
                    + " has the one of its algorithm");
        }
        return new RunSettings.Template(envId == null ? null : envId.textValue(), envSettings, dqn, sac);
    }
}
