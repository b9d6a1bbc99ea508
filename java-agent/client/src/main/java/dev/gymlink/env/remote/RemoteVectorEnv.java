package dev.gymlink.env.remote;

import dev.gymlink.env.AutoresetMode;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvInternalException;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.Space;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.VectorResetResult;
import dev.gymlink.env.VectorStepResult;
import dev.gymlink.proto.v1.FinalObservation;
import dev.gymlink.proto.v1.Made;
import dev.gymlink.proto.v1.Render;
import dev.gymlink.proto.v1.Reset;
import dev.gymlink.proto.v1.SessionRequest;
import dev.gymlink.proto.v1.SessionResponse;
import dev.gymlink.proto.v1.Step;
import io.grpc.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code numEnvs} copies of a Gymnasium env stepped together in an env server, in one vector
 * session. One message carries the whole batch each way. The {@link AutoresetMode} is asked for
 * when the session is made, and the server must confirm it: same-step (the default) resets a copy
 * that ends an episode within the step, its last observation travelling in
 * {@link VectorStepResult#finalObservations()}; next-step resets it in its next step, as
 * Gymnasium's vector envs do by default. With next-step autoreset the server may use a native
 * vector env with one random generator for all copies (Gymnasium's CartPole does), so seeded
 * copies then differ from single envs seeded {@code seed + i}.
 *
 * <p>When the connection is lost during a step, the session is re-made (see {@link ReconnectPolicy})
 * and reset, and that step reports every copy as truncated with reward 0, every info carrying
 * {@code RemoteEnvs.CONNECTION_LOST = true}. Same-step: final observations are the copies' last
 * known observations, observations the fresh reset ones. Next-step: observations are the last
 * known ones, and the following step is every copy's autoreset to the fresh ones (a copy whose
 * episode had ended just before the loss so reports one more truncated step). Training just goes on.
 *
 * <p>The channel belongs to the caller (or to the {@link GymClient} that made the env). Not
 * thread-safe.
 */
public final class RemoteVectorEnv implements VectorEnv {

    private final RemoteSession session;
    private final int numEnvs;
    private final Space observationSpace;
    private final Space actionSpace;
    private final EnvSpec spec;
    private final AutoresetMode autoresetMode;
    private Object[] lastObservations;
    /** NEXT_STEP after a lost connection: the reset the next step reports as every copy's autoreset. */
    private VectorResetResult pendingAutoreset;

    private RemoteVectorEnv(RemoteSession session, int numEnvs, AutoresetMode autoresetMode, Space observationSpace,
            Space actionSpace, EnvSpec spec) {
        this.session = session;
        this.autoresetMode = autoresetMode;
        this.numEnvs = numEnvs;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.spec = spec;
    }

    /**
     * Makes {@code numEnvs} copies of the env on the server behind {@code channel}, with same-step
     * autoreset. The channel stays the caller's.
     */
    public static RemoteVectorEnv connect(Channel channel, EnvOptions options, int numEnvs) throws EnvException {
        return connect(channel, options, numEnvs, AutoresetMode.SAME_STEP);
    }

    /**
     * Makes {@code numEnvs} copies of the env on the server behind {@code channel}, asking for the
     * autoreset mode. The channel stays the caller's.
     *
     * @throws EnvInternalException when the server makes a session other than the one asked for
     */
    public static RemoteVectorEnv connect(Channel channel, EnvOptions options, int numEnvs,
            AutoresetMode autoresetMode) throws EnvException {
        Objects.requireNonNull(autoresetMode, "autoresetMode");
        if (numEnvs < 1) {
            throw new InvalidArgumentException("numEnvs must be at least 1, got " + numEnvs);
        }
        RemoteSession session = RemoteSession.open(channel, options, numEnvs, Optional.of(autoresetMode));
        try {
            Made made = session.made();
            if (!made.getVector() || made.getNumEnvs() != numEnvs
                    || made.getAutoresetMode() != RemoteSession.toProto(autoresetMode)) {
                throw new EnvInternalException("asked " + session.target() + " for a vector session of " + numEnvs
                        + " " + options.envId() + " with " + autoresetMode + " autoreset, got vector="
                        + made.getVector() + " with " + made.getNumEnvs() + " envs and autoreset "
                        + made.getAutoresetMode());
            }
            return new RemoteVectorEnv(session, numEnvs, autoresetMode,
                    session.decode("observation space", () -> SpaceCodec.fromProto(made.getObservationSpace())),
                    session.decode("action space", () -> SpaceCodec.fromProto(made.getActionSpace())),
                    session.decode("env spec", () -> CatalogCodec.fromProto(made.getSpec())));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public int numEnvs() {
        return numEnvs;
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Space singleObservationSpace() {
        return observationSpace;
    }

    @Override
    public Space singleActionSpace() {
        return actionSpace;
    }

    @Override
    public AutoresetMode autoresetMode() {
        return autoresetMode;
    }

    /** The server's id for the current session (changes after a reconnect). */
    public String sessionId() {
        return session.made().getSessionId();
    }

    @Override
    public VectorResetResult reset(OptionalLong seed, Map<String, Object> options) throws EnvException {
        return resetWith(exchangeReconnecting(RemoteSession.resetRequest(seed, options), "reset"));
    }

    private VectorResetResult resetWith(SessionResponse response) throws EnvException {
        session.expect(response, SessionResponse.ResponseCase.RESET_RESULT, "reset");
        var result = response.getResetResult();
        Object[] observations = session.decode("reset observations",
                () -> ElementCodec.unbatch(observationSpace, result.getObservations(), numEnvs));
        List<Map<String, Object>> infos = session.decode("reset infos",
                () -> ValueCodec.infos(result.getInfosList(), numEnvs));
        lastObservations = observations.clone();
        pendingAutoreset = null;
        return new VectorResetResult(observations, infos);
    }

    @Override
    public VectorStepResult step(Object[] actions) throws EnvException {
        if (actions == null || actions.length != numEnvs) {
            throw new InvalidArgumentException("expected " + numEnvs + " actions, one per copy, got "
                    + (actions == null ? "null" : actions.length));
        }
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] == null) {
                throw new InvalidArgumentException("action at index " + i + " null is not in " + actionSpace);
            }
        }
        SessionRequest request = SessionRequest.newBuilder()
                .setStep(Step.newBuilder().setActions(ElementCodec.batch(actionSpace, Arrays.asList(actions), "action")))
                .build();
        if (pendingAutoreset != null) {
            return pendingAutoresetStep();
        }
        SessionResponse response;
        try {
            response = session.exchange(request, "step");
        } catch (ConnectionLostException lost) {
            return afterLostConnection(lost);
        } catch (EnvUnavailableException timedOut) {
            lastObservations = null;
            throw timedOut;
        }
        session.expect(response, SessionResponse.ResponseCase.STEP_RESULT, "step");
        VectorStepResult step = session.decode("step result", () -> decodeStep(response.getStepResult()));
        lastObservations = step.observations().clone();
        return step;
    }

    private VectorStepResult decodeStep(dev.gymlink.proto.v1.StepResult result) {
        if (result.getRewardsCount() != numEnvs || result.getTerminatedCount() != numEnvs
                || result.getTruncatedCount() != numEnvs) {
            throw new IllegalArgumentException("expected " + numEnvs + " rewards and flags, got "
                    + result.getRewardsCount() + " rewards, " + result.getTerminatedCount() + " terminated, "
                    + result.getTruncatedCount() + " truncated");
        }
        Object[] observations = ElementCodec.unbatch(observationSpace, result.getObservations(), numEnvs);
        double[] rewards = new double[numEnvs];
        boolean[] terminated = new boolean[numEnvs];
        boolean[] truncated = new boolean[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            rewards[i] = result.getRewards(i);
            terminated[i] = result.getTerminated(i);
            truncated[i] = result.getTruncated(i);
        }
        Object[] finalObservations = new Object[numEnvs];
        List<Map<String, Object>> finalInfos = new ArrayList<>(Collections.nCopies(numEnvs, Map.of()));
        for (FinalObservation last : result.getFinalObservationsList()) {
            int i = last.getEnvIndex();
            if (i < 0 || i >= numEnvs || finalObservations[i] != null) {
                throw new IllegalArgumentException("final observation for env index " + i + " of " + numEnvs
                        + " is out of range or repeated");
            }
            finalObservations[i] = ElementCodec.element(observationSpace, last.getObservation());
            finalInfos.set(i, ValueCodec.fromProto(last.getInfo()));
        }
        return new VectorStepResult(observations, rewards, terminated, truncated, finalObservations,
                ValueCodec.infos(result.getInfosList(), numEnvs), finalInfos, autoresetMode);
    }

    /** Every copy's episode ends truncated at its last known observation; the re-made copies start afresh. */
    private VectorStepResult afterLostConnection(ConnectionLostException lost) throws EnvException {
        session.reconnect(lost, "step");
        if (lastObservations == null) {
            throw new EnvStateException(session.context("step") + ": no episodes are running; reset first "
                    + "(the connection was lost and the session re-made meanwhile)");
        }
        Object[] lastKnown = lastObservations;
        VectorResetResult fresh = resetWith(exchangeReconnecting(
                SessionRequest.newBuilder().setReset(Reset.getDefaultInstance()).build(), "reset"));
        Map<String, Object> flag = RemoteSession.connectionLostInfo(lost);
        boolean[] allTruncated = new boolean[numEnvs];
        Arrays.fill(allTruncated, true);
        if (autoresetMode == AutoresetMode.NEXT_STEP) {
            pendingAutoreset = fresh;
            lastObservations = lastKnown;
            return new VectorStepResult(lastKnown, new double[numEnvs], new boolean[numEnvs], allTruncated,
                    new Object[numEnvs], Collections.nCopies(numEnvs, flag), Collections.nCopies(numEnvs, Map.of()),
                    autoresetMode);
        }
        List<Map<String, Object>> infos = new ArrayList<>();
        for (Map<String, Object> info : fresh.infos()) {
            Map<String, Object> flagged = new HashMap<>(info);
            flagged.putAll(flag);
            infos.add(flagged);
        }
        return new VectorStepResult(fresh.observations(), new double[numEnvs], new boolean[numEnvs], allTruncated,
                lastKnown, infos, Collections.nCopies(numEnvs, flag), autoresetMode);
    }

    /** NEXT_STEP, the step after a lost connection: every copy's autoreset to the re-made session's reset. */
    private VectorStepResult pendingAutoresetStep() {
        VectorResetResult fresh = pendingAutoreset;
        pendingAutoreset = null;
        lastObservations = fresh.observations().clone();
        return new VectorStepResult(fresh.observations(), new double[numEnvs], new boolean[numEnvs],
                new boolean[numEnvs], new Object[numEnvs], fresh.infos(), Collections.nCopies(numEnvs, Map.of()),
                autoresetMode);
    }

    /** A reset-like exchange; one that timed out abandoned the session, so no copy's episode runs any more. */
    private SessionResponse exchangeReconnecting(SessionRequest request, String kind) throws EnvException {
        try {
            return session.exchangeReconnecting(request, kind);
        } catch (EnvUnavailableException e) {
            lastObservations = null;
            throw e;
        }
    }

    /**
     * Renders copy {@code envIndex} as an RGB frame; needs render mode {@code rgb_array} in the
     * options and a reset first.
     */
    public RgbFrame render(int envIndex) throws EnvException {
        if (envIndex < 0 || envIndex >= numEnvs) {
            throw new InvalidArgumentException("env index " + envIndex + " is outside 0.." + (numEnvs - 1));
        }
        SessionRequest request = SessionRequest.newBuilder()
                .setRender(Render.newBuilder().setEnvIndex(envIndex))
                .build();
        SessionResponse response;
        try {
            response = session.exchange(request, "render");
        } catch (ConnectionLostException lost) {
            session.reconnect(lost, "render");
            lastObservations = null;
            throw new EnvStateException(session.context("render") + ": the connection was lost and the session "
                    + "re-made; reset before rendering");
        }
        session.expect(response, SessionResponse.ResponseCase.FRAME, "render");
        return session.decode("frame", () -> TensorCodec.fromProto(response.getFrame()));
    }

    @Override
    public void close() {
        session.close();
    }

    /** True once closed (by the caller or by the {@link GymClient} that made it). */
    boolean isClosed() {
        return session.isClosed();
    }

    @Override
    public String toString() {
        return "RemoteVectorEnv(" + numEnvs + " x " + spec.id() + " on " + session.target()
                + (autoresetMode == AutoresetMode.SAME_STEP ? "" : ", autoreset " + autoresetMode) + ")";
    }
}
