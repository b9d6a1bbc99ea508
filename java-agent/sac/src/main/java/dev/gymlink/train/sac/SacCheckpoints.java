package dev.gymlink.train.sac;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.agent.sac.SacReplayBuffer;
import dev.gymlink.env.Box;
import dev.gymlink.train.Checkpoints;
import dev.gymlink.train.TrainingCheckpoint;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SAC's files in a checkpoint directory, in the layout {@link Checkpoints} manages (step-N,
 * {@code latest}, {@code best}, atomic writes, provenance): {@value Checkpoints#WEIGHTS} holds the
 * actor, both critics, both targets and the Adam states of the three trained networks (with gSDE
 * then its log standard deviations, their Adam state and the acting noise);
 * {@value Checkpoints#REPLAY} the replay ring; {@value Checkpoints#STATE} (readable, with
 * {@code "algorithm": "sac"}) the config, the action space, alpha and its optimiser, the random
 * streams and the loop's progress.
 */
public final class SacCheckpoints {

    /** The {@code algorithm} of a SAC state file. */
    public static final String ALGORITHM = "sac";

    private static final int WEIGHTS_MAGIC = 0x474c5357; // "GLSW"
    private static final int REPLAY_MAGIC = 0x474c5352; // "GLSR"
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SacCheckpoints() {}

    /** The files of a checkpoint of {@code agent} at {@code progress}. */
    public static Map<String, Checkpoints.Part> parts(SacAgent agent, String envId, TrainingCheckpoint.Progress progress) {
        SacAgent.State state = agent.state();
        StateFile file = new StateFile(FORMAT_VERSION, ALGORITHM, envId, agent.config(), agent.observationSize(),
                agent.actionSpace(), agent.alpha(), state.logAlpha(), state.alphaAdamStep(), state.alphaFirstMoment(),
                state.alphaSecondMoment(), state.gradientSteps(), state.recentLoss(), state.randomStates(), progress);
        Map<String, Checkpoints.Part> parts = new LinkedHashMap<>();
        parts.put(Checkpoints.WEIGHTS, out -> writeWeights(out, state, agent.config().sde().enabled()));
        parts.put(Checkpoints.REPLAY, out -> writeReplay(out, state.replay()));
        parts.put(Checkpoints.STATE, out -> JSON.writeValue(out, file));
        return parts;
    }

    /**
     * A SAC checkpoint read back.
     *
     * @param config the run's config
     * @param envId env trained on
     * @param observationSize floats per observation
     * @param actionSpace the Box the agent acts in
     * @param agent the agent's state
     * @param progress the loop's state
     */
    public record Loaded(SacConfig config, String envId, int observationSize, Box actionSpace, SacAgent.State agent,
            TrainingCheckpoint.Progress progress) {

        /** A new agent continuing exactly from this checkpoint. */
        public SacAgent restoreAgent() {
            return SacAgent.restore(config, observationSize, actionSpace, agent);
        }
    }

    /**
     * Reads a SAC checkpoint directory (or a run directory's latest).
     *
     * @throws IOException when files are missing or malformed, or the checkpoint is not SAC's, naming the file
     */
    public static Loaded read(Path path) throws IOException {
        Path dir = Checkpoints.resolveDirectory(path);
        String algorithm = Checkpoints.algorithm(dir);
        if (!algorithm.equals(ALGORITHM)) {
            throw new IOException(dir + " holds a " + algorithm.toUpperCase(java.util.Locale.ROOT)
                    + " checkpoint, not a SAC one");
        }
        StateFile state;
        try (InputStream in = Files.newInputStream(dir.resolve(Checkpoints.STATE))) {
            state = JSON.readValue(in, StateFile.class);
        }
        if (state.formatVersion() != FORMAT_VERSION) {
            throw new IOException(dir.resolve(Checkpoints.STATE) + " has format version " + state.formatVersion()
                    + ", this build reads " + FORMAT_VERSION);
        }
        Path weightsFile = dir.resolve(Checkpoints.WEIGHTS);
        List<float[]> parameters = new ArrayList<>();
        List<SacAgent.Adam> adam = new ArrayList<>();
        float[] actingNoise = null;
        try (DataInputStream in = open(weightsFile)) {
            Checkpoints.checkHeader(in, WEIGHTS_MAGIC, weightsFile);
            for (int k = 0; k < SacAgent.parameterVectors(state.config()); k++) {
                parameters.add(Checkpoints.readFloats(in, weightsFile));
            }
            for (int k = 0; k < SacAgent.adamStates(state.config()); k++) {
                long step = in.readLong();
                adam.add(new SacAgent.Adam(step, Checkpoints.readFloats(in, weightsFile),
                        Checkpoints.readFloats(in, weightsFile)));
            }
            if (state.config().sde().enabled() && in.readBoolean()) {
                actingNoise = Checkpoints.readFloats(in, weightsFile);
            }
        }
        Path replayFile = dir.resolve(Checkpoints.REPLAY);
        SacReplayBuffer.Contents replay;
        try (DataInputStream in = open(replayFile)) {
            Checkpoints.checkHeader(in, REPLAY_MAGIC, replayFile);
            int capacity = in.readInt();
            int observationSize = in.readInt();
            int actionSize = in.readInt();
            int next = in.readInt();
            int size = in.readInt();
            replay = new SacReplayBuffer.Contents(capacity, observationSize, actionSize, next, size,
                    Checkpoints.readFloats(in, replayFile), Checkpoints.readFloats(in, replayFile),
                    Checkpoints.readFloats(in, replayFile), Checkpoints.readFloats(in, replayFile),
                    Checkpoints.readBooleans(in, replayFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(replayFile + " is inconsistent: " + e.getMessage(), e);
        }
        SacAgent.State agent = new SacAgent.State(parameters, adam, state.logAlpha(), state.alphaAdamStep(),
                state.alphaFirstMoment(), state.alphaSecondMoment(), replay, state.randomStates(),
                state.gradientSteps(), state.recentLoss(), actingNoise);
        return new Loaded(state.config(), state.envId(), state.observationSize(), state.actionSpace(), agent,
                state.progress());
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
    }

    private static void writeWeights(OutputStream stream, SacAgent.State state, boolean sde) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        Checkpoints.writeHeader(out, WEIGHTS_MAGIC);
        for (float[] parameters : state.parameters()) {
            Checkpoints.writeFloats(out, parameters);
        }
        for (SacAgent.Adam adam : state.adam()) {
            out.writeLong(adam.step());
            Checkpoints.writeFloats(out, adam.firstMoment());
            Checkpoints.writeFloats(out, adam.secondMoment());
        }
        if (sde) {
            out.writeBoolean(state.actingNoise() != null);
            if (state.actingNoise() != null) {
                Checkpoints.writeFloats(out, state.actingNoise());
            }
        }
        out.flush();
    }

    private static void writeReplay(OutputStream stream, SacReplayBuffer.Contents replay) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        Checkpoints.writeHeader(out, REPLAY_MAGIC);
        out.writeInt(replay.capacity());
        out.writeInt(replay.observationSize());
        out.writeInt(replay.actionSize());
        out.writeInt(replay.next());
        out.writeInt(replay.size());
        Checkpoints.writeFloats(out, replay.observations());
        Checkpoints.writeFloats(out, replay.nextObservations());
        Checkpoints.writeFloats(out, replay.actions());
        Checkpoints.writeFloats(out, replay.rewards());
        Checkpoints.writeBooleans(out, replay.terminated());
        out.flush();
    }

    /** The readable part of a SAC checkpoint; {@code alpha} is for readers (it is {@code exp(logAlpha)}). */
    record StateFile(int formatVersion, String algorithm, String envId, SacConfig config, int observationSize,
            Box actionSpace, double alpha, double logAlpha, long alphaAdamStep, double alphaFirstMoment,
            double alphaSecondMoment, long gradientSteps, double recentLoss, long[] randomStates,
            TrainingCheckpoint.Progress progress) {}
}
