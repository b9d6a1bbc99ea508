package dev.gymlink.train.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainingListener.EpisodeEnd;
import dev.gymlink.train.TrainingListener.EvaluationEnd;
import dev.gymlink.train.TrainingListener.TrainingEnd;
import dev.gymlink.train.TrainingListener.TrainingStart;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event file's framing and messages, decoded here by hand; TensorBoardEventsTest in the command
 * line's tests reads a real run's file with TensorBoard's own reader.
 */
class TensorBoardListenerTest {

    private static final ExplorationName EPSILON = new ExplorationName("epsilon", "eps");

    @TempDir
    Path dir;

    @Test
    void masksTheCrcAsTfRecordDoes() {
        // TensorFlow's crc32c_test: Mask(Value("a", 1)) for CRC-32C("a") = 0xc1d04330.
        int crc = 0xc1d04330;
        assertEquals(((crc >>> 15) | (crc << 17)) + 0xa282ead8, TensorBoardListener.maskedCrc32c(new byte[] {'a'}));
    }

    @Test
    void writesAVersionEventThenOneSummaryPerEpisodeAndEvaluation() throws Exception {
        TensorBoardListener listener = new TensorBoardListener(dir);
        listener.onTrainingStart(new TrainingStart("CartPole-v1", 1000, 1, "test", EPSILON));
        listener.onEpisodeEnd(new EpisodeEnd(22, 1, 22.0, 22, true, 0.98, Double.NaN, 1500.25, 22.0));
        listener.onEvaluation(new EvaluationEnd(500, 5, 480.5, 3.5, 470, 500, 475, true, true, 1.5));
        listener.onTrainingEnd(new TrainingEnd(500, 1, 1.0, true, 500, 22.0));
        assertTrue(listener.file().getFileName().toString().startsWith("events.out.tfevents."));

        List<byte[]> records = records(Files.readAllBytes(listener.file()));
        assertEquals(3, records.size());
        assertEquals("brain.Event:2", new String(field(records.get(0), 3), StandardCharsets.UTF_8));
        assertEquals(22, varint(records.get(1), 2));
        assertEquals(Map.of(TensorBoardListener.EPISODE_RETURN, 22.0f, TensorBoardListener.MEAN_RETURN_100, 22.0f,
                "train/epsilon", 0.98f, TensorBoardListener.STEPS_PER_SECOND, 1500.25f),
                scalars(records.get(1)), "the loss does not exist yet, so it is left out");
        assertEquals(500, varint(records.get(2), 2));
        assertEquals(Map.of(TensorBoardListener.EVAL_MEAN_RETURN, 480.5f, TensorBoardListener.EVAL_STD_RETURN, 3.5f),
                scalars(records.get(2)));
        assertEquals("train/alpha", TensorBoardListener.explorationTag(new ExplorationName("alpha", "alpha")));
    }

    /** Splits a TFRecord file, checking each length and data CRC. */
    private static List<byte[]> records(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] length = new byte[8];
            in.get(length);
            assertEquals(TensorBoardListener.maskedCrc32c(length), in.getInt(), "length CRC");
            byte[] data = new byte[(int) ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            in.get(data);
            assertEquals(TensorBoardListener.maskedCrc32c(data), in.getInt(), "data CRC");
            records.add(data);
        }
        return records;
    }

    /** tag -> simple_value of an Event's Summary (field 5, its values field 1: tag 1, simple_value 2). */
    private static Map<String, Float> scalars(byte[] event) {
        Map<String, Float> values = new LinkedHashMap<>();
        for (byte[] value : fields(field(event, 5), 1)) {
            String tag = new String(field(value, 1), StandardCharsets.UTF_8);
            values.put(tag, ByteBuffer.wrap(field(value, 2)).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        }
        return values;
    }

    private static byte[] field(byte[] message, int number) {
        List<byte[]> all = fields(message, number);
        assertEquals(1, all.size(), "field " + number);
        return all.get(0);
    }

    private static long varint(byte[] message, int number) {
        byte[] bytes = field(message, number);
        long value = 0;
        for (int k = bytes.length - 1; k >= 0; k--) {
            value = value << 7 | (bytes[k] & 0x7F);
        }
        return value;
    }

    /** The raw bytes of every occurrence of a field (varints as their bytes, fixed as their bytes). */
    private static List<byte[]> fields(byte[] message, int number) {
        List<byte[]> found = new ArrayList<>();
        int position = 0;
        while (position < message.length) {
            long key = 0;
            int shift = 0;
            int start;
            byte b;
            do {
                b = message[position++];
                key |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            int wireType = (int) (key & 7);
            start = position;
            int end;
            switch (wireType) {
                case 0 -> {
                    while (message[position] < 0) {
                        position++;
                    }
                    end = ++position;
                }
                case 1 -> end = position += 8;
                case 5 -> end = position += 4;
                case 2 -> {
                    long length = 0;
                    shift = 0;
                    do {
                        b = message[position++];
                        length |= (long) (b & 0x7F) << shift;
                        shift += 7;
                    } while (b < 0);
                    start = position;
                    end = position += (int) length;
                }
                default -> throw new AssertionError("unexpected wire type " + wireType);
            }
            if (key >>> 3 == number) {
                found.add(Arrays.copyOfRange(message, start, end));
            }
        }
        return found;
    }
}
