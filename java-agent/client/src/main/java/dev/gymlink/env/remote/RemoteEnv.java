package dev.gymlink.env.remote;

import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvInternalException;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EnvUnavailableException;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.Space;
import dev.gymlink.env.StepResult;
import dev.gymlink.proto.v1.Made;
import dev.gymlink.proto.v1.SessionRequest;
import dev.gymlink.proto.v1.SessionResponse;
import dev.gymlink.proto.v1.Step;
import io.grpc.Channel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Gymnasium env living in an env server, used through one {@code Session} stream: behaves like
 * {@code gymnasium.make(envId)} in the same process, including its errors, which arrive as the
 * {@link EnvException} subclass of the server's status with the server's message.
 *
 * <p>Every request waits at most {@link EnvOptions#requestDeadline()}. When the connection is lost,
 * the env re-makes its session with the same options (see {@link ReconnectPolicy}). A step that the
 * loss interrupted is healed by <em>exact replay</em> when the episode began with a seeded reset and
 * the env's spec is deterministic: the new session is reset with that seed and stepped through the
 * episode's actions, every observation is checked bit for bit against the one seen, and the step is
 * sent again, so the caller notices nothing (the cost: one action and observation reference kept
 * per step of the episode in flight, and a round trip per replayed step after a reconnect).
 * Otherwise, or when the replay differs, the step returns the last observation as
 * <em>truncated</em> with {@code info[RemoteEnvs.CONNECTION_LOST] == true}, so a trainer bootstraps
 * and resets as after a time limit. A reset is simply sent again. {@link ConnectionListener} hears
 * of each reconnect, replay and fallback.
 *
 * <p>The channel belongs to the caller (or to the {@link GymClient} that made the env): closing the
 * env closes its session, not the channel. Not thread-safe, like any Gymnasium env.
 */
public final class RemoteEnv implements Env {

    private final RemoteSession session;
    private final Space observationSpace;
    private final Space actionSpace;
    private final EnvSpec spec;
    private final EpisodesInFlight episode;
    private final OptionalLong makeSeed;
    private boolean firstReset = true;
    private Object lastObservation;
    private boolean episodeRunning;

    private RemoteEnv(RemoteSession session, Space observationSpace, Space actionSpace, EnvSpec spec,
            OptionalLong makeSeed) {
        this.session = session;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.spec = spec;
        this.makeSeed = makeSeed;
        this.episode = new EpisodesInFlight(1, EpisodesInFlight.neverFor(spec));
    }

    /** Makes the env on the server behind {@code channel}. */
    public static RemoteEnv connect(Channel channel, EnvOptions options) throws EnvException {
        RemoteSession session = RemoteSession.open(channel, options, 1, Optional.empty());
        try {
            Made made = session.made();
            if (made.getVector() || made.getNumEnvs() != 1) {
                throw new EnvInternalException("asked " + session.target() + " for a plain " + options.envId()
                        + " session, got a vector session of " + made.getNumEnvs());
            }
            return new RemoteEnv(session,
                    session.decode("observation space", () -> SpaceCodec.fromProto(made.getObservationSpace())),
                    session.decode("action space", () -> SpaceCodec.fromProto(made.getActionSpace())),
                    session.decode("env spec", () -> CatalogCodec.fromProto(made.getSpec())), options.seed());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    /** The server's id for the current session, as its log shows it (changes after a reconnect). */
    public String sessionId() {
        return session.made().getSessionId();
    }

    @Override
    public ResetResult reset(OptionalLong seed, Map<String, Object> options) throws EnvException {
        SessionRequest request = RemoteSession.resetRequest(seed, options);
        SessionResponse response;
        try {
            response = session.exchangeReconnecting(request, "reset");
        } catch (EnvUnavailableException e) {
            episodeRunning = false;
            throw e;
        }
        session.expect(response, SessionResponse.ResponseCase.RESET_RESULT, "reset");
        var result = response.getResetResult();
        Object observation = session.decode("reset observation",
                () -> ElementCodec.unbatch(observationSpace, result.getObservations(), 1)[0]);
        Map<String, Object> info =
                session.decode("reset info", () -> ValueCodec.infos(result.getInfosList(), 1).get(0));
        lastObservation = observation;
        episodeRunning = true;
        // A session made with a seed applies it to its first reset.
        episode.started(0, seed.isPresent() || !firstReset ? seed : makeSeed, !options.isEmpty(), observation);
        firstReset = false;
        return new ResetResult(observation, info);
    }

    @Override
    public StepResult step(Object action) throws EnvException {
        if (action == null) {
            throw new InvalidArgumentException("action null is not in " + actionSpace);
        }
        SessionRequest request = stepRequest(action);
        SessionResponse response;
        try {
            response = sent(request, "step");
        } catch (ConnectionLostException lost) {
            session.reconnect(lost, "step");
            if (!episodeRunning) {
                throw new EnvStateException(session.context("step") + ": no episode is running; reset first "
                        + "(the connection was lost and the session re-made meanwhile)");
            }
            Optional<SessionResponse> resent = replayAndResend(request);
            if (resent.isEmpty()) {
                episodeRunning = false;
                return new StepResult(lastObservation, 0.0, false, true, RemoteSession.connectionLostInfo(lost));
            }
            response = resent.get();
        }
        session.expect(response, SessionResponse.ResponseCase.STEP_RESULT, "step");
        var result = response.getStepResult();
        if (result.getRewardsCount() != 1 || result.getTerminatedCount() != 1 || result.getTruncatedCount() != 1) {
            throw new EnvInternalException(session.context("step") + ": expected one reward and one flag of each "
                    + "kind, got " + result.getRewardsCount() + " rewards, " + result.getTerminatedCount()
                    + " terminated, " + result.getTruncatedCount() + " truncated");
        }
        Object observation = session.decode("step observation",
                () -> ElementCodec.unbatch(observationSpace, result.getObservations(), 1)[0]);
        Map<String, Object> info =
                session.decode("step info", () -> ValueCodec.infos(result.getInfosList(), 1).get(0));
        StepResult step = new StepResult(observation, result.getRewards(0), result.getTerminated(0),
                result.getTruncated(0), info);
        lastObservation = observation;
        episodeRunning = !step.done();
        episode.stepped(0, action, observation);
        return step;
    }

    private SessionRequest stepRequest(Object action) throws InvalidArgumentException {
        return SessionRequest.newBuilder()
                .setStep(Step.newBuilder().setActions(ElementCodec.batch(actionSpace, List.of(action), "action")))
                .build();
    }

    /**
     * After a reconnect: resets the re-made session with the episode's seed, steps it through the
     * episode's actions, checks every observation bit for bit, then sends the lost step again.
     * Empty when the episode cannot be replayed (the caller then ends it as truncated).
     */
    private Optional<SessionResponse> replayAndResend(SessionRequest lostStep) throws EnvException {
        return session.replayAndResend(episode, () -> {
            List<Object> actions = episode.actions(0);
            Object[] seen = new Object[actions.size() + 1];
            SessionResponse reset = session.exchange(
                    RemoteSession.resetRequest(OptionalLong.of(episode.seed(0)), Map.of()), "replay");
            session.expect(reset, SessionResponse.ResponseCase.RESET_RESULT, "replay");
            seen[0] = session.decode("replayed observation",
                    () -> ElementCodec.unbatch(observationSpace, reset.getResetResult().getObservations(), 1)[0]);
            for (int t = 0; t < actions.size(); t++) {
                SessionResponse step = session.exchange(stepRequest(actions.get(t)), "replay");
                session.expect(step, SessionResponse.ResponseCase.STEP_RESULT, "replay");
                seen[t + 1] = session.decode("replayed observation",
                        () -> ElementCodec.unbatch(observationSpace, step.getStepResult().getObservations(), 1)[0]);
            }
            return episode.firstDifference(0, seen);
        }, lostStep, "the episode in flight");
    }

    @Override
    public RgbFrame render() throws EnvException {
        return session.render(0, reason -> {
            episodeRunning = false;
            episode.forget(reason);
        });
    }

    /** Sends a request; one that timed out abandoned the session, so no episode runs any more. */
    private SessionResponse sent(SessionRequest request, String kind) throws EnvException, ConnectionLostException {
        try {
            return session.exchange(request, kind);
        } catch (EnvUnavailableException e) {
            episodeRunning = false;
            episode.forget("a request timed out and the session was abandoned");
            throw e;
        }
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
        return "RemoteEnv(" + spec.id() + " on " + session.target() + ")";
    }
}
