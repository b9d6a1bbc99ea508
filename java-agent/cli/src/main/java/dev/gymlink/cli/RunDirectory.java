package dev.gymlink.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gymlink.cli.plot.LearningCurve;
import dev.gymlink.train.listeners.MetricsCsvListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The directory a training run writes: {@code config.json} (the resolved settings),
 * {@code metrics.csv}, {@code learning-curve.png} and the checkpoint.
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
}
