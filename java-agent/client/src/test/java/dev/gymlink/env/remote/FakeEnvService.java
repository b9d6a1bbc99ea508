package dev.gymlink.env.remote;

import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.Space;
import dev.gymlink.env.Tensor;
import dev.gymlink.proto.v1.AutoresetMode;
import dev.gymlink.proto.v1.Closed;
import dev.gymlink.proto.v1.EnvServiceGrpc;
import dev.gymlink.proto.v1.Error;
import dev.gymlink.proto.v1.FinalObservation;
import dev.gymlink.proto.v1.Made;
import dev.gymlink.proto.v1.Make;
import dev.gymlink.proto.v1.ResetResult;
import dev.gymlink.proto.v1.SessionRequest;
import dev.gymlink.proto.v1.SessionResponse;
import dev.gymlink.proto.v1.StepResult;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted env server for client tests that need what the real one will not do on demand: answer
 * late, break a stream, refuse a make, change its spaces. Its env "Counter-v0" observes a float32
 * counter that each step raises by {@code action + 1}; episodes terminate after
 * {@link #EPISODE_LENGTH} steps. Vector sessions autoreset in the mode Make asks for (a reset
 * counter starts at 0), and confirm it in Made unless {@link #madeAutoresetMode} says otherwise.
 */
final class FakeEnvService extends EnvServiceGrpc.EnvServiceImplBase {

    static final String ENV_ID = "Counter-v0";
    static final int EPISODE_LENGTH = 3;
    static final Box COUNTER_SPACE = Box.uniform(0, 1_000, new int[] {1}, DType.FLOAT32);
    static final Discrete ACTIONS = new Discrete(2);
    static final EnvSpec SPEC = new EnvSpec(ENV_ID, OptionalInt.of(100), OptionalDouble.empty(), false,
            "tests:Counter", "tests");

    /** How a stream can be made to end at the next step. */
    enum Break { UNAVAILABLE, CANCELLED, COMPLETED_WITHOUT_ANSWER }

    final List<Make> makes = new CopyOnWriteArrayList<>();
    volatile Duration stepDelay = Duration.ZERO;
    volatile Break breakNextStep;
    volatile Status refuseMakes;
    volatile Space observationSpace = COUNTER_SPACE;
    /** When set, Made reports this mode instead of the one asked for (a server that disagrees). */
    volatile AutoresetMode madeAutoresetMode;

    @Override
    public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> responses) {
        return new StreamObserver<>() {
            private int numEnvs;
            private boolean vector;
            private double[] counters;
            private int[] stepsTaken;
            private boolean[] running;
            private boolean nextStep;
            private boolean[] autoresetDue;
            private long firstResetSeed;
            private boolean ended;

            @Override
            public void onNext(SessionRequest request) {
                switch (request.getRequestCase()) {
                    case MAKE -> make(request.getMake());
                    case RESET -> {
                        // Like the real server: Make's seed seeds the first reset that brings none.
                        long seed = request.getReset().hasSeed() ? request.getReset().getSeed() : firstResetSeed;
                        firstResetSeed = 0;
                        reset(seed);
                    }
                    case STEP -> step(request.getStep().getActions());
                    case RENDER -> render();
                    case CLOSE -> {
                        responses.onNext(SessionResponse.newBuilder().setClosed(Closed.getDefaultInstance()).build());
                        end();
                    }
                    default -> error(Status.Code.UNIMPLEMENTED, request.getRequestCase() + " is not scripted");
                }
            }

            private void make(Make make) {
                makes.add(make);
                if (refuseMakes != null) {
                    ended = true;
                    responses.onError(refuseMakes.asRuntimeException());
                    return;
                }
                numEnvs = Math.max(1, make.getNumEnvs());
                firstResetSeed = make.hasSeed() ? make.getSeed() : 0;
                vector = make.getVector() || numEnvs > 1;
                counters = new double[numEnvs];
                stepsTaken = new int[numEnvs];
                running = new boolean[numEnvs];
                nextStep = make.getAutoresetMode() == AutoresetMode.AUTORESET_MODE_NEXT_STEP;
                autoresetDue = new boolean[numEnvs];
                AutoresetMode mode = !vector ? AutoresetMode.AUTORESET_MODE_UNSPECIFIED
                        : madeAutoresetMode != null ? madeAutoresetMode
                        : nextStep ? AutoresetMode.AUTORESET_MODE_NEXT_STEP : AutoresetMode.AUTORESET_MODE_SAME_STEP;
                responses.onNext(SessionResponse.newBuilder().setMade(Made.newBuilder()
                        .setObservationSpace(ProtoEncoders.toProto(observationSpace))
                        .setActionSpace(ProtoEncoders.toProto(ACTIONS))
                        .setSpec(ProtoEncoders.toProto(SPEC))
                        .setNumEnvs(numEnvs)
                        .setVector(vector)
                        .setAutoresetMode(mode)
                        .setSessionId("fake-" + makes.size()))
                        .build());
            }

            private void reset(long seed) {
                for (int i = 0; i < numEnvs; i++) {
                    counters[i] = seed + i;
                    stepsTaken[i] = 0;
                    running[i] = true;
                    autoresetDue[i] = false;
                }
                responses.onNext(SessionResponse.newBuilder().setResetResult(
                        ResetResult.newBuilder().setObservations(observations())).build());
            }

            /** Ends the stream as {@link #breakNextStep} says, if it says so. */
            private boolean broke() {
                Break broken = breakNextStep;
                if (broken == null) {
                    return false;
                }
                breakNextStep = null;
                ended = true;
                switch (broken) {
                    case UNAVAILABLE -> responses.onError(
                            Status.UNAVAILABLE.withDescription("fake connection loss").asRuntimeException());
                    case CANCELLED -> responses.onError(
                            Status.CANCELLED.withDescription("fake server shutdown").asRuntimeException());
                    case COMPLETED_WITHOUT_ANSWER -> responses.onCompleted();
                }
                return true;
            }

            /** A 1x1 frame whose red value is copy 0's counter; breaks and delays like a step. */
            private void render() {
                if (broke()) {
                    return;
                }
                sleep(stepDelay);
                dev.gymlink.proto.v1.Tensor rgb = TensorCodec.toProto(
                        new Tensor(DType.UINT8, new int[] {1, 1, 3}, new double[] {counters[0], 0, 0}));
                responses.onNext(SessionResponse.newBuilder()
                        .setFrame(dev.gymlink.proto.v1.Frame.newBuilder().setRgb(rgb)).build());
            }

            private void step(dev.gymlink.proto.v1.Value actions) {
                if (broke()) {
                    return;
                }
                sleep(stepDelay);
                Object[] chosen = ElementCodec.unbatch(ACTIONS, actions, numEnvs);
                for (Object action : chosen) {
                    if (!ACTIONS.contains(action)) {
                        error(Status.Code.INVALID_ARGUMENT, "action " + action + " is not in " + ACTIONS);
                        return;
                    }
                }
                if (!running[0]) {
                    error(Status.Code.FAILED_PRECONDITION, "step needs a reset first");
                    return;
                }
                StepResult.Builder result = StepResult.newBuilder();
                for (int i = 0; i < numEnvs; i++) {
                    if (autoresetDue[i]) {
                        autoresetDue[i] = false;
                        counters[i] = 0;
                        stepsTaken[i] = 0;
                        result.addRewards(0.0).addTerminated(false).addTruncated(false);
                        continue;
                    }
                    counters[i] += (Long) chosen[i] + 1;
                    stepsTaken[i]++;
                    boolean ended = stepsTaken[i] == EPISODE_LENGTH;
                    result.addRewards(1.0).addTerminated(ended).addTruncated(false);
                    if (ended && vector && nextStep) {
                        autoresetDue[i] = true;
                    } else if (ended && vector) {
                        result.addFinalObservations(FinalObservation.newBuilder().setEnvIndex(i)
                                .setObservation(ProtoEncoders.elementToValue(COUNTER_SPACE, counter(i))));
                        counters[i] = 0;
                        stepsTaken[i] = 0;
                    } else if (ended) {
                        running[i] = false;
                    }
                }
                responses.onNext(SessionResponse.newBuilder()
                        .setStepResult(result.setObservations(observations())).build());
            }

            private Tensor counter(int i) {
                return new Tensor(DType.FLOAT32, new int[] {1}, new double[] {counters[i]});
            }

            private dev.gymlink.proto.v1.Value observations() {
                List<Object> all = new ArrayList<>();
                for (int i = 0; i < numEnvs; i++) {
                    all.add(counter(i));
                }
                return ElementCodec.batch(COUNTER_SPACE, all, "observation");
            }

            private void error(Status.Code code, String message) {
                responses.onNext(SessionResponse.newBuilder()
                        .setError(Error.newBuilder().setCode(code.value()).setMessage(message)).build());
            }

            @Override
            public void onError(Throwable t) {
                // the client went away; nothing to clean up in a fake
            }

            @Override
            public void onCompleted() {
                end();
            }

            private void end() {
                if (!ended) {
                    ended = true;
                    responses.onCompleted();
                }
            }
        };
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
