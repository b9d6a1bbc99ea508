package dev.gymlink.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.NetworkSpec;
import dev.gymlink.agent.dqn.QNetwork;
import dev.gymlink.agent.dqn.ReplayBuffer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints on disk. A run directory holds {@code checkpoints/step-NNNNNNNNNN/} directories, a
 * {@code latest} file naming the newest, and {@code checkpoints/best/}: the state right after the
 * greedy evaluation with the highest mean so far (its provenance names that evaluation). Training
 * resumes from {@code latest}; playing a run ({@link #select}) uses {@code best} when there is one.
 * Each checkpoint directory holds:
 * <ul>
 *   <li>{@code weights.bin}: online and target parameters and Adam's state (big-endian floats)</li>
 *   <li>{@code replay.bin}: the replay ring</li>
 *   <li>{@code state.json}: config, network shape, counters, random-generator states and the
 *       episodes in flight (readable)</li>
 *   <li>{@code provenance.json}: the {@link RunProvenance}</li>
 * </ul>
 * A checkpoint is written into a temporary directory, flushed to disk, then renamed into place
 * atomically, and {@code latest} is replaced the same way, so a crash mid-write never leaves a
 * partial checkpoint or a {@code latest} pointing at one.
 */
public final class Checkpoints {

    public static final String CHECKPOINTS_DIR = "checkpoints";
    public static final String LATEST = "latest";
    public static final String BEST = "best";
    public static final String WEIGHTS = "weights.bin";
    public static final String REPLAY = "replay.bin";
    public static final String STATE = "state.json";
    public static final String PROVENANCE = "provenance.json";
    /** The algorithm of a state file without an {@code algorithm} field. */
    public static final String DQN = "dqn";

    private static final int WEIGHTS_MAGIC = 0x474c5731; // "GLW1"
    private static final int REPLAY_MAGIC = 0x474c5231; // "GLR1"
    private static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoints() {}

    /**
     * Writes a checkpoint into {@code runDir} and points {@code latest} at it.
     *
     * @return the checkpoint directory
     */
    public static Path write(Path runDir, TrainingCheckpoint checkpoint, RunProvenance provenance)
            throws IOException {
        return write(runDir, checkpoint.progress().envSteps(), dqnParts(checkpoint), provenance);
    }

    /**
     * Writes a checkpoint of any algorithm into {@code runDir} and points {@code latest} at it: the
     * algorithm's files (for DQN {@link #dqnParts}) and the provenance.
     *
     * @param envSteps the env step it holds the state of, which names it
     * @return the checkpoint directory
     */
    public static Path write(Path runDir, long envSteps, Map<String, Part> parts, RunProvenance provenance)
            throws IOException {
        String name = String.format(Locale.ROOT, "step-%010d", envSteps);
        Path target = writeDirectory(runDir, name, parts, provenance);
        Path latestTemp = Files.createTempFile(runDir, LATEST, ".tmp");
        writeFile(latestTemp, out -> out.write((CHECKPOINTS_DIR + "/" + name + "\n").getBytes(StandardCharsets.UTF_8)));
        moveAtomically(latestTemp, runDir.resolve(LATEST));
        return target;
    }

    /**
     * Writes (or replaces) {@code checkpoints/best} of {@code runDir}; {@code latest} stays as it is.
     *
     * @param provenance the run's provenance with the evaluation that made this the best
     * @return the checkpoint directory
     */
    public static Path writeBest(Path runDir, TrainingCheckpoint checkpoint, RunProvenance provenance)
            throws IOException {
        return writeBest(runDir, dqnParts(checkpoint), provenance);
    }

    /** As {@link #writeBest(Path, TrainingCheckpoint, RunProvenance)}, for any algorithm's files. */
    public static Path writeBest(Path runDir, Map<String, Part> parts, RunProvenance provenance) throws IOException {
        return writeDirectory(runDir, BEST, parts, provenance);
    }

    /** A DQN checkpoint's files: {@value #WEIGHTS}, {@value #REPLAY} and {@value #STATE}. */
    public static Map<String, Part> dqnParts(TrainingCheckpoint checkpoint) {
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put(WEIGHTS, out -> writeWeights(out, checkpoint.agent()));
        parts.put(REPLAY, out -> writeReplay(out, checkpoint.agent().replay()));
        parts.put(STATE, out -> JSON.writeValue(out, StateFile.of(checkpoint)));
        return parts;
    }

    private static Path writeDirectory(Path runDir, String name, Map<String, Part> parts,
            RunProvenance provenance) throws IOException {
        Path parent = runDir.resolve(CHECKPOINTS_DIR);
        Files.createDirectories(parent);
        Path target = parent.resolve(name);
        Path temp = Files.createTempDirectory(parent, name + ".tmp-");
        try {
            for (Map.Entry<String, Part> part : parts.entrySet()) {
                writeFile(temp.resolve(part.getKey()), part.getValue());
            }
            writeFile(temp.resolve(PROVENANCE), out -> out.write(provenance.toJson().getBytes(StandardCharsets.UTF_8)));
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            moveAtomically(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(temp);
            throw e;
        }
        return target;
    }

    /**
     * Reads a checkpoint from a checkpoint directory, or the latest one of a run directory.
     *
     * @throws IOException when files are missing or malformed, naming the file
     */
    public static TrainingCheckpoint read(Path path) throws IOException {
        Path dir = resolve(path);
        String algorithm = algorithm(dir);
        if (!algorithm.equals(DQN)) {
            throw new IOException(dir + " holds a " + algorithm.toUpperCase(Locale.ROOT) + " checkpoint, not a DQN one");
        }
        StateFile state;
        try (InputStream in = Files.newInputStream(dir.resolve(STATE))) {
            state = JSON.readValue(in, StateFile.class);
        }
        if (state.formatVersion() != FORMAT_VERSION) {
            throw new IOException(dir.resolve(STATE) + " has format version " + state.formatVersion()
                    + ", this build reads " + FORMAT_VERSION);
        }
        Weights weights;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(WEIGHTS))))) {
            weights = readWeights(in, dir.resolve(WEIGHTS));
        }
        ReplayBuffer.Contents replay;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(REPLAY))))) {
            replay = readReplay(in, dir.resolve(REPLAY));
        }
        DqnAgent.State agent = new DqnAgent.State(weights.online(), weights.target(), weights.optimizer(), replay,
                state.randomStates(), state.gradientSteps(), state.replays(), state.recentLoss());
        return new TrainingCheckpoint(state.config(), state.envId(), state.networkSpec(), agent, state.progress());
    }

    /**
     * The algorithm a checkpoint directory holds, from its {@value #STATE}'s {@code algorithm}
     * field: {@value #DQN} when it has none (DQN's state files never had one).
     */
    public static String algorithm(Path checkpointDir) throws IOException {
        Path file = checkpointDir.resolve(STATE);
        com.fasterxml.jackson.databind.JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        return root.path("algorithm").asText(DQN);
    }

    /** The provenance JSON of a checkpoint (or of a run's latest one), as written. */
    public static String readProvenanceJson(Path path) throws IOException {
        return Files.readString(resolve(path).resolve(PROVENANCE), StandardCharsets.UTF_8);
    }

    /** The checkpoint directory {@code latest} names in a run directory. */
    public static Optional<Path> latest(Path runDir) throws IOException {
        Path latest = runDir.resolve(LATEST);
        if (!Files.exists(latest)) {
            return Optional.empty();
        }
        return Optional.of(runDir.resolve(Files.readString(latest, StandardCharsets.UTF_8).trim()));
    }

    /** {@code checkpoints/best} of a run directory, when a greedy evaluation wrote one. */
    public static Optional<Path> best(Path runDir) {
        Path best = runDir.resolve(CHECKPOINTS_DIR).resolve(BEST);
        return Files.exists(best.resolve(STATE)) ? Optional.of(best) : Optional.empty();
    }

    /** A checkpoint directory itself, the one a {@code latest} file names, or a run directory's latest. */
    public static Path resolveDirectory(Path path) throws IOException {
        return resolve(path);
    }

    /**
     * The checkpoint to play or evaluate for a path a user gave: a run directory means its
     * {@code best} checkpoint when there is one, else its latest; {@code RUN/latest} means the latest;
     * a checkpoint directory ({@code RUN/checkpoints/step-N}, {@code RUN/checkpoints/best}) means itself.
     *
     * @throws IOException when the path is none of these
     */
    public static Path select(Path path) throws IOException {
        if (!Files.exists(path.resolve(STATE))) {
            Optional<Path> best = best(path);
            if (best.isPresent()) {
                return best.get();
            }
        }
        return resolve(path);
    }

    /** Checkpoint directories of a run, oldest first. */
    public static List<Path> list(Path runDir) throws IOException {
        Path parent = runDir.resolve(CHECKPOINTS_DIR);
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints of a run (never the one {@code latest} names). */
    public static void prune(Path runDir, int keep) throws IOException {
        List<Path> all = new ArrayList<>(list(runDir));
        Optional<Path> latest = latest(runDir).map(Path::normalize);
        for (int k = 0; k < all.size() - keep; k++) {
            if (latest.isEmpty() || !all.get(k).normalize().equals(latest.get())) {
                deleteRecursively(all.get(k));
            }
        }
    }

    /** A checkpoint directory itself, the one a {@code latest} file names, or a run directory's latest. */
    private static Path resolve(Path path) throws IOException {
        if (Files.exists(path.resolve(STATE))) {
            return path;
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().equals(LATEST)) {
            Path runDir = path.getParent() != null ? path.getParent() : Path.of("");
            return latest(runDir).orElseThrow();
        }
        return latest(path).orElseThrow(() -> new IOException(
                path + " is neither a checkpoint directory (no " + STATE + ") nor a run directory (no " + LATEST + ")"));
    }

    /** One file of a checkpoint directory, written by the algorithm that knows its format. */
    @FunctionalInterface
    public interface Part {
        void write(OutputStream out) throws IOException;
    }

    private static void writeFile(Path file, Part writer) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            writer.write(out);
        }
        // Durable before the rename makes it visible.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to + " cannot rename atomically, so checkpoints there "
                    + "could be left half-written", e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Weights(float[] online, float[] target, QNetwork.AdamState optimizer) {}

    private static void writeWeights(OutputStream stream, DqnAgent.State agent) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(WEIGHTS_MAGIC);
        out.writeInt(FORMAT_VERSION);
        writeFloats(out, agent.onlineParameters());
        out.writeBoolean(agent.targetParameters() != null);
        if (agent.targetParameters() != null) {
            writeFloats(out, agent.targetParameters());
        }
        out.writeLong(agent.optimizer().step());
        writeFloats(out, agent.optimizer().firstMoment());
        writeFloats(out, agent.optimizer().secondMoment());
        out.flush();
    }

    private static Weights readWeights(DataInputStream in, Path file) throws IOException {
        checkHeader(in, WEIGHTS_MAGIC, file);
        float[] online = readFloats(in, file);
        float[] target = in.readBoolean() ? readFloats(in, file) : null;
        long step = in.readLong();
        QNetwork.AdamState optimizer = new QNetwork.AdamState(step, readFloats(in, file), readFloats(in, file));
        return new Weights(online, target, optimizer);
    }

    private static void writeReplay(OutputStream stream, ReplayBuffer.Contents replay) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(REPLAY_MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeInt(replay.capacity());
        out.writeInt(replay.observationSize());
        out.writeInt(replay.next());
        out.writeInt(replay.size());
        writeFloats(out, replay.observations());
        writeFloats(out, replay.nextObservations());
        out.writeInt(replay.actions().length);
        for (int action : replay.actions()) {
            out.writeInt(action);
        }
        writeFloats(out, replay.rewards());
        writeBooleans(out, replay.terminated());
        writeBooleans(out, replay.truncated());
        out.flush();
    }

    private static ReplayBuffer.Contents readReplay(DataInputStream in, Path file) throws IOException {
        checkHeader(in, REPLAY_MAGIC, file);
        int capacity = in.readInt();
        int observationSize = in.readInt();
        int next = in.readInt();
        int size = in.readInt();
        float[] observations = readFloats(in, file);
        float[] nextObservations = readFloats(in, file);
        int[] actions = new int[checkLength(in.readInt(), file)];
        for (int k = 0; k < actions.length; k++) {
            actions[k] = in.readInt();
        }
        float[] rewards = readFloats(in, file);
        boolean[] terminated = readBooleans(in, file);
        boolean[] truncated = readBooleans(in, file);
        try {
            return new ReplayBuffer.Contents(capacity, observationSize, next, size, observations, nextObservations,
                    actions, rewards, terminated, truncated);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is inconsistent: " + e.getMessage(), e);
        }
    }

    /** Checks a binary file's magic number and format version (as {@link #writeHeader} wrote them). */
    public static void checkHeader(DataInputStream in, int magic, Path file) throws IOException {
        int actualMagic = in.readInt();
        int version = in.readInt();
        if (actualMagic != magic) {
            throw new IOException(file + " is not a gymlink checkpoint file (magic " + Integer.toHexString(actualMagic)
                    + ")");
        }
        if (version != FORMAT_VERSION) {
            throw new IOException(file + " has format version " + version + ", this build reads " + FORMAT_VERSION);
        }
    }

    /** Writes a binary file's magic number and this build's format version. */
    public static void writeHeader(DataOutputStream out, int magic) throws IOException {
        out.writeInt(magic);
        out.writeInt(FORMAT_VERSION);
    }

    private static int checkLength(int length, Path file) throws IOException {
        if (length < 0 || length > 1 << 28) {
            throw new IOException(file + " declares an array of " + length + " entries");
        }
        return length;
    }

    /** Length, then big-endian floats. */
    public static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    /** What {@link #writeFloats} wrote; a corrupt length is reported naming {@code file}. */
    public static float[] readFloats(DataInputStream in, Path file) throws IOException {
        int length = checkLength(in.readInt(), file);
        byte[] bytes = new byte[length * Float.BYTES];
        in.readFully(bytes);
        float[] values = new float[length];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
        return values;
    }

    /** Length, then one byte per value. */
    public static void writeBooleans(DataOutputStream out, boolean[] values) throws IOException {
        out.writeInt(values.length);
        byte[] bytes = new byte[values.length];
        for (int k = 0; k < values.length; k++) {
            bytes[k] = (byte) (values[k] ? 1 : 0);
        }
        out.write(bytes);
    }

    /** What {@link #writeBooleans} wrote. */
    public static boolean[] readBooleans(DataInputStream in, Path file) throws IOException {
        byte[] bytes = new byte[checkLength(in.readInt(), file)];
        in.readFully(bytes);
        boolean[] values = new boolean[bytes.length];
        for (int k = 0; k < bytes.length; k++) {
            values[k] = bytes[k] != 0;
        }
        return values;
    }

    /** The readable part of a checkpoint. */
    record StateFile(
            int formatVersion, String envId, DqnConfig config, NetworkSpec networkSpec, long gradientSteps,
            long replays, double epsilon, double recentLoss, long[] randomStates,
            TrainingCheckpoint.Progress progress) {

        /** {@code epsilon} is for readers: on load it follows from the counters and the config's schedule. */
        static StateFile of(TrainingCheckpoint checkpoint) {
            DqnAgent.State agent = checkpoint.agent();
            double epsilon = checkpoint.config().exploration().epsilon(checkpoint.progress().envSteps(), agent.replays());
            return new StateFile(FORMAT_VERSION, checkpoint.envId(), checkpoint.config(), checkpoint.networkSpec(),
                    agent.gradientSteps(), agent.replays(), epsilon, agent.recentLoss(), agent.randomStates(),
                    checkpoint.progress());
        }
    }
}
