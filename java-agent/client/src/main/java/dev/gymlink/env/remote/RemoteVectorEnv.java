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
 * <p><b>Exact replay.</b> When the connection is lost during a step, the session is re-made (see
 * {@link ReconnectPolicy}), on whichever server the channel reaches then. If every copy's episode
 * in flight began with a seeded reset (a seeded {@link #reset}, or an autoreset seeded by
 * {@link #step(Object[], long)}), the env's spec is deterministic and the mode is same-step, the
 * new session replays each copy's reset seed and actions since, every replayed observation is
 * checked bit for bit against the one seen, and the lost step is sent again: the caller sees the
 * step as if nothing had happened. The cost: the actions and observation references of the
 * episodes in flight are kept (never longer than {@link EpisodesInFlight#MAX_STEPS} steps), and a
 * replay takes one message and the server's time to step each copy through its episode so far.
 * {@link ConnectionListener} hears of every replay and fallback.
 *
 * <p><b>Fallback.</b> Otherwise, or when the replay differs or is refused, the session is reset,
 * and that step reports every copy as truncated with reward 0, every info carrying
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
    private final EpisodesInFlight episodes;
    private final OptionalLong makeSeed;
    private boolean firstReset = true;
    private Object[] lastObservations;
    /** NEXT_STEP after a lost connection: the reset the next step reports as every copy's autoreset. */
    private VectorResetResult pendingAutoreset;

    private RemoteVectorEnv(RemoteSession session, int numEnvs, AutoresetMode autoresetMode, Space observationSpace,
            Space actionSpace, EnvSpec spec, OptionalLong makeSeed) {
        this.session = session;
        this.autoresetMode = autoresetMode;
        this.numEnvs = numEnvs;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.spec = spec;
        this.makeSeed = makeSeed;
        this.episodes = new EpisodesInFlight(numEnvs, autoresetMode == AutoresetMode.SAME_STEP
                ? EpisodesInFlight.neverFor(spec)
                : Optional.of("next-step autoreset sessions do not replay"));
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
                    session.decode("env spec", () -> CatalogCodec.fromProto(made.getSpec())), options.seed());
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
        // A session made with a seed applies it to its first reset.
        OptionalLong applied = seed.isPresent() || !firstReset ? seed : makeSeed;
        VectorResetResult result = resetWith(exchangeReconnecting(RemoteSession.resetRequest(seed, options), "reset"));
        firstReset = false;
        for (int i = 0; i < numEnvs; i++) {
            episodes.started(i, applied.isPresent() ? OptionalLong.of(applied.getAsLong() + i) : OptionalLong.empty(),
                    !options.isEmpty(), result.observations()[i]);
        }
        return result;
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
        return step(actions, OptionalLong.empty());
    }

    /**
     * Steps every copy; a copy whose episode ends is reset with seed {@code autoresetSeed + i}
     * (see {@link VectorEnv#step(Object[], long)}), which lets a lost connection be healed by exact
     * replay instead of ending every episode.
     */
    @Override
    public VectorStepResult step(Object[] actions, long autoresetSeed) throws EnvException {
        VectorEnv.checkAutoresetSeed(autoresetMode, autoresetSeed, numEnvs);
        return step(actions, OptionalLong.of(autoresetSeed));
    }

    private VectorStepResult step(Object[] actions, OptionalLong autoresetSeed) throws EnvException {
        if (actions == null || actions.length != numEnvs) {
            throw new InvalidArgumentException("expected " + numEnvs + " actions, one per copy, got "
                    + (actions == null ? "null" : actions.length));
        }
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] == null) {
                throw new InvalidArgumentException("action at index " + i + " null is not in " + actionSpace);
            }
        }
        Step.Builder stepRequest = Step.newBuilder()
                .setActions(ElementCodec.batch(actionSpace, Arrays.asList(actions), "action"));
        autoresetSeed.ifPresent(stepRequest::setAutoresetSeed);
        SessionRequest request = SessionRequest.newBuilder().setStep(stepRequest).build();
        if (pendingAutoreset != null) {
            return pendingAutoresetStep();
        }
        SessionResponse response;
        try {
            response = session.exchange(request, "step");
        } catch (ConnectionLostException lost) {
            session.reconnect(lost, "step");
            Optional<SessionResponse> resent = replayAndResend(request);
            if (resent.isEmpty()) {
                return afterLostConnection(lost);
            }
            response = resent.get();
        } catch (EnvUnavailableException timedOut) {
            lastObservations = null;
            episodes.forget("a step timed out and the session was abandoned");
            throw timedOut;
        }
        session.expect(response, SessionResponse.ResponseCase.STEP_RESULT, "step");
        SessionResponse answered = response;
        VectorStepResult step = session.decode("step result", () -> decodeStep(answered.getStepResult()));
        lastObservations = step.observations().clone();
        for (int i = 0; i < numEnvs; i++) {
            if (step.done(i)) {
                episodes.started(i, autoresetSeed.isPresent() ? OptionalLong.of(autoresetSeed.getAsLong() + i)
                        : OptionalLong.empty(), false, step.observations()[i]);
            } else {
                episodes.stepped(i, actions[i], step.observations()[i]);
            }
        }
        return step;
    }

    /**
     * After a reconnect: rebuilds every copy's episode on the re-made session with one Replay
     * request, checks every replayed observation bit for bit, then sends the lost step again.
     * Empty when the episodes cannot be replayed (the caller then ends them as truncated).
     */
    private Optional<SessionResponse> replayAndResend(SessionRequest lostStep) throws EnvException {
        return session.replayAndResend(episodes, () -> {
            SessionResponse answer = session.exchange(replayRequest(), "replay");
            session.expect(answer, SessionResponse.ResponseCase.REPLAYED, "replay");
            return firstDifference(answer.getReplayed());
        }, lostStep, numEnvs + " episodes in flight");
    }

    private SessionRequest replayRequest() throws InvalidArgumentException {
        dev.gymlink.proto.v1.Replay.Builder replay = dev.gymlink.proto.v1.Replay.newBuilder();
        for (int i = 0; i < numEnvs; i++) {
            List<Object> taken = episodes.actions(i);
            dev.gymlink.proto.v1.EnvHistory.Builder history = dev.gymlink.proto.v1.EnvHistory.newBuilder()
                    .setSeed(episodes.seed(i))
                    .setNumSteps(taken.size());
            if (!taken.isEmpty()) {
                history.setActions(ElementCodec.batch(actionSpace, taken, "replayed action"));
            }
            replay.addEnvs(history);
        }
        return SessionRequest.newBuilder().setReplay(replay).build();
    }

    private Optional<String> firstDifference(dev.gymlink.proto.v1.Replayed replayed) throws EnvInternalException {
        if (replayed.getObservationsCount() != numEnvs) {
            return Optional.of("the server replayed " + replayed.getObservationsCount() + " envs, not " + numEnvs);
        }
        for (int i = 0; i < numEnvs; i++) {
            int copy = i;
            int count = episodes.observations(i).size();
            Object[] seen = session.decode("replayed observations",
                    () -> ElementCodec.unbatch(observationSpace, replayed.getObservations(copy), count));
            Optional<String> difference = episodes.firstDifference(i, seen);
            if (difference.isPresent()) {
                return difference;
            }
        }
        return Optional.empty();
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
        if (lastObservations == null) {
            throw new EnvStateException(session.context("step") + ": no episodes are running; reset first "
                    + "(the connection was lost and the session re-made meanwhile)");
        }
        Object[] lastKnown = lastObservations;
        VectorResetResult fresh = resetWith(exchangeReconnecting(
                SessionRequest.newBuilder().setReset(Reset.getDefaultInstance()).build(), "reset"));
        for (int i = 0; i < numEnvs; i++) {
            episodes.started(i, OptionalLong.empty(), false, fresh.observations()[i]);
        }
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
        return session.render(envIndex, reason -> {
            lastObservations = null;
            episodes.forget(reason);
        });
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
