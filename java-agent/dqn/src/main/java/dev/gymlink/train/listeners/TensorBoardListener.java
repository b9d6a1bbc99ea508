package dev.gymlink.train.listeners;

import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainingListener;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes the run's scalars as a TensorBoard event file ({@code events.out.tfevents.*} in the run
 * directory), so {@code tensorboard --logdir runs} shows and compares runs as it does for
 * Stable-Baselines3 or CleanRL. Per finished episode, at its env step: {@value #EPISODE_RETURN},
 * {@value #MEAN_RETURN_100}, the {@linkplain #explorationTag exploration rate} ({@code train/epsilon},
 * {@code train/alpha}), {@value #LOSS} (once learning has started) and
 * {@value #STEPS_PER_SECOND}, the values of its {@code metrics.csv} row; per greedy evaluation:
 * {@value #EVAL_MEAN_RETURN} and {@value #EVAL_STD_RETURN}.
 *
 * <p>The format, written by hand so the trainer needs no TensorFlow or protobuf: a TFRecord file
 * (each record: length as little-endian uint64, its masked CRC-32C, the bytes, their masked CRC-32C)
 * of {@code tensorflow.Event} messages, the first holding {@code file_version "brain.Event:2"}, the
 * others a {@code Summary} of {@code simple_value} scalars. A resumed run starts a new file in the
 * same directory; TensorBoard drops the replayed steps of the older one when it reads the newer.
 */
public final class TensorBoardListener implements TrainingListener, Closeable {

    /** Every event file name contains this; TensorBoard looks for it. */
    public static final String FILE_PREFIX = "events.out.tfevents.";

    public static final String EPISODE_RETURN = "episode/return";
    public static final String MEAN_RETURN_100 = "episode/mean_return_100";
    public static final String LOSS = "train/loss";
    public static final String STEPS_PER_SECOND = "time/steps_per_second";
    public static final String EVAL_MEAN_RETURN = "eval/mean_return";
    public static final String EVAL_STD_RETURN = "eval/std_return";

    // Field numbers of tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto.
    private static final int EVENT_WALL_TIME = 1;
    private static final int EVENT_STEP = 2;
    private static final int EVENT_FILE_VERSION = 3;
    private static final int EVENT_SUMMARY = 5;
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1;
    private static final int VALUE_SIMPLE_VALUE = 2;
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;
    private static final int CRC_MASK_DELTA = 0xa282ead8;

    private final Path directory;
    private String explorationTag;
    private Path file;
    private OutputStream out;

    /** @param directory where the event file goes: the run directory */
    public TensorBoardListener(Path directory) {
        this.directory = directory;
    }

    /** The event file, once training has started. */
    public Path file() {
        return file;
    }

    /** The tag of the agent's exploration rate, under its own name: {@code train/epsilon}, {@code train/alpha}. */
    public static String explorationTag(ExplorationName exploration) {
        return "train/" + exploration.name();
    }

    @Override
    public void onTrainingStart(TrainingStart start) {
        explorationTag = explorationTag(start.explorationName());
        try {
            Files.createDirectories(directory);
            long pid = ProcessHandle.current().pid();
            String stamp = FILE_PREFIX + System.currentTimeMillis() / 1000 + ".gymlink." + pid;
            file = directory.resolve(stamp);
            for (int n = 2; Files.exists(file); n++) {
                file = directory.resolve(stamp + "." + n);
            }
            out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW));
            ByteArrayOutputStream event = new ByteArrayOutputStream();
            writeDouble(event, EVENT_WALL_TIME, wallTime());
            writeBytes(event, EVENT_FILE_VERSION, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
            writeRecord(event.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a TensorBoard event file into " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void onEpisodeEnd(EpisodeEnd episode) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put(EPISODE_RETURN, episode.episodeReturn());
        scalars.put(MEAN_RETURN_100, episode.meanReturn100());
        scalars.put(explorationTag, episode.exploration());
        scalars.put(LOSS, episode.recentLoss());
        scalars.put(STEPS_PER_SECOND, episode.stepsPerSecond());
        writeScalars(episode.envStep(), scalars);
    }

    @Override
    public void onEvaluation(EvaluationEnd evaluation) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put(EVAL_MEAN_RETURN, evaluation.meanReturn());
        scalars.put(EVAL_STD_RETURN, evaluation.stdReturn());
        writeScalars(evaluation.envStep(), scalars);
        flush();
    }

    /** Flushes with every progress report, so TensorBoard shows a running run. */
    @Override
    public void onProgress(Progress progress) {
        flush();
    }

    @Override
    public void onTrainingEnd(TrainingEnd end) {
        close();
    }

    @Override
    public void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        } finally {
            out = null;
        }
    }

    /** One event at {@code step} with a summary of the scalars that exist (NaN ones are left out). */
    private void writeScalars(long step, Map<String, Double> scalars) {
        if (out == null) {
            throw new IllegalStateException("a TensorBoard scalar before training started");
        }
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        scalars.forEach((tag, value) -> {
            if (!Double.isNaN(value)) {
                ByteArrayOutputStream scalar = new ByteArrayOutputStream();
                writeBytes(scalar, VALUE_TAG, tag.getBytes(StandardCharsets.UTF_8));
                writeFloat(scalar, VALUE_SIMPLE_VALUE, value.floatValue());
                writeBytes(summary, SUMMARY_VALUE, scalar.toByteArray());
            }
        });
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        writeDouble(event, EVENT_WALL_TIME, wallTime());
        writeTag(event, EVENT_STEP, WIRE_VARINT);
        writeVarint(event, step);
        writeBytes(event, EVENT_SUMMARY, summary.toByteArray());
        try {
            writeRecord(event.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void flush() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** TFRecord framing: length, masked CRC of the length, data, masked CRC of the data. */
    private void writeRecord(byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(length);
        out.write(littleEndianInt(maskedCrc32c(length)));
        out.write(data);
        out.write(littleEndianInt(maskedCrc32c(data)));
    }

    /** TFRecord's checksum: CRC-32C, rotated right by 15 bits, plus a constant. */
    static int maskedCrc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + CRC_MASK_DELTA;
    }

    private static byte[] littleEndianInt(int value) {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static double wallTime() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, (long) field << 3 | wireType);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes) {
        writeTag(out, field, WIRE_LENGTH_DELIMITED);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeDouble(ByteArrayOutputStream out, int field, double value) {
        writeTag(out, field, WIRE_FIXED64);
        out.writeBytes(ByteBuffer.allocate(Double.BYTES).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
    }

    private static void writeFloat(ByteArrayOutputStream out, int field, float value) {
        writeTag(out, field, WIRE_FIXED32);
        out.writeBytes(ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    }
}
