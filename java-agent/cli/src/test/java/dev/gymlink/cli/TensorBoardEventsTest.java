package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gymlink.testkit.PythonEnvServer;
import dev.gymlink.train.listeners.EvaluationsCsvListener;
import dev.gymlink.train.listeners.MetricsCsvListener;
import dev.gymlink.train.listeners.TensorBoardListener;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory's TensorBoard event file, read back by the {@code tensorboard} Python package
 * itself (its EventAccumulator, what {@code tensorboard --logdir} uses), holds the values of
 * metrics.csv and evaluations.csv. The package comes with the server's {@code test} extra, in the
 * project's venv.
 */
@Timeout(300)
class TensorBoardEventsTest {

    @TempDir
    Path dir;

    @Test
    void tensorBoardReadsTheRunsScalarsAsTheCsvFilesHoldThem() throws Exception {
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--steps", "6000", "--set", "solve.evalEverySteps=1000", "--set",
                "solve.evalEpisodes=2", "--set", "solve.stopWhenSolved=false", "--checkpoint-every", "0",
                "--out", run.toString());
        assertEquals(0, train.exitCode(), train.toString());
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith(TensorBoardListener.FILE_PREFIX))
                    .count());
        }

        JsonNode scalars = readWithTensorBoard(run);
        List<String[]> metrics = rows(run.resolve(MetricsCsvListener.FILE_NAME));
        assertTagMatches(scalars, TensorBoardListener.EPISODE_RETURN, metrics, "return");
        assertTagMatches(scalars, TensorBoardListener.MEAN_RETURN_100, metrics, "mean_return_100");
        assertTagMatches(scalars, "train/epsilon", metrics, "epsilon");
        assertTagMatches(scalars, TensorBoardListener.LOSS, metrics, "loss");
        assertTagMatches(scalars, TensorBoardListener.STEPS_PER_SECOND, metrics, "steps_per_second");
        List<String[]> evaluations = rows(run.resolve(EvaluationsCsvListener.FILE_NAME));
        assertEquals(7, evaluations.size(), "header and six evaluations");
        assertTagMatches(scalars, TensorBoardListener.EVAL_MEAN_RETURN, evaluations, "mean_return");
        assertTagMatches(scalars, TensorBoardListener.EVAL_STD_RETURN, evaluations, "std_return");
    }

    /** Every non-empty cell of the column, in order, is the tag's value at the row's env step. */
    private static void assertTagMatches(JsonNode scalars, String tag, List<String[]> csv, String column) {
        int index = Arrays.asList(csv.get(0)).indexOf(column);
        List<double[]> expected = new ArrayList<>();
        for (String[] row : csv.subList(1, csv.size())) {
            if (!row[index].isEmpty()) {
                expected.add(new double[] {Long.parseLong(row[0]), Double.parseDouble(row[index])});
            }
        }
        JsonNode actual = scalars.path(tag);
        assertTrue(expected.size() > 0, "the CSV has values for " + column);
        assertEquals(expected.size(), actual.size(), tag + " has one value per CSV row: " + actual);
        for (int k = 0; k < expected.size(); k++) {
            double[] row = expected.get(k);
            assertEquals((long) row[0], actual.get(k).get(0).asLong(), tag + " step of value " + k);
            // float32 in the event file, six significant digits in the CSV.
            assertEquals(row[1], actual.get(k).get(1).asDouble(), 1e-5 * Math.max(1, Math.abs(row[1])),
                    tag + " value " + k);
        }
    }

    private static List<String[]> rows(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(line -> line.split(",", -1)).toList();
    }

    private JsonNode readWithTensorBoard(Path run) throws Exception {
        Path script = dir.resolve("read_tensorboard.py");
        try (InputStream in = TensorBoardEventsTest.class.getResourceAsStream("read_tensorboard.py")) {
            Files.copy(in, script);
        }
        Path errors = dir.resolve("reader.err");
        Process reader = new ProcessBuilder(PythonEnvServer.python(), script.toString(), run.toString())
                .redirectError(errors.toFile()).start();
        byte[] output = reader.getInputStream().readAllBytes();
        assertTrue(reader.waitFor(120, TimeUnit.SECONDS), "the reader finishes");
        String stderr = Files.readString(errors);
        assertEquals(0, reader.exitValue(), "the tensorboard package reads the event file (it comes with"
                + " 'pip install -e ./python-env-server[test]'; scripts/server-venv.sh installs it): " + stderr);
        return new ObjectMapper().readTree(new String(output, StandardCharsets.UTF_8));
    }
}
