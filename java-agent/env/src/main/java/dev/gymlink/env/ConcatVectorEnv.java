package dev.gymlink.env;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several vector envs of the same env seen as one: copies {@code 0..n0-1} are the first part's,
 * the next {@code n1} the second's, and so on. This is how a run spreads its copies over several
 * env servers (one remote vector env per server), so adding server replicas adds throughput.
 *
 * <p>Parts are stepped and reset concurrently, one thread per part, because each part usually
 * waits on its own network round trip. Actions are checked against the action space before any
 * part moves, so a bad action leaves every copy where it was, as {@link VectorEnv#step} promises.
 * With a seed, copy {@code i} is seeded {@code seed + i} across parts, exactly as in a single
 * vector env of the same size.
 *
 * <p>Every part must have the same {@link AutoresetMode}, which is this env's mode too. Takes
 * ownership of the parts: closing this closes them.
 */
public final class ConcatVectorEnv implements VectorEnv {

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final List<VectorEnv> parts;
    private final int[] offsets;
    private final int numEnvs;
    private final ExecutorService executor;
    private boolean closed;

    /**
     * @param parts vector envs of one env id with equal observation and action spaces and the same
     *     autoreset mode, at least one
     * @throws IllegalArgumentException when the parts are of different envs, spaces or modes
     */
    public ConcatVectorEnv(List<? extends VectorEnv> parts) {
        Objects.requireNonNull(parts, "parts");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a concatenated vector env needs at least one part");
        }
        this.parts = List.copyOf(parts);
        VectorEnv first = this.parts.get(0);
        this.offsets = new int[this.parts.size()];
        int total = 0;
        for (int p = 0; p < this.parts.size(); p++) {
            VectorEnv part = this.parts.get(p);
            if (!part.spec().id().equals(first.spec().id())
                    || !part.singleObservationSpace().equals(first.singleObservationSpace())
                    || !part.singleActionSpace().equals(first.singleActionSpace())) {
                throw new IllegalArgumentException("part " + p + " is " + part.spec().id() + " with observations "
                        + part.singleObservationSpace() + " and actions " + part.singleActionSpace()
                        + ", but part 0 is " + first.spec().id() + " with " + first.singleObservationSpace()
                        + " and " + first.singleActionSpace());
            }
            if (part.autoresetMode() != first.autoresetMode()) {
                throw new IllegalArgumentException("part " + p + " autoresets " + part.autoresetMode()
                        + ", but part 0 " + first.autoresetMode() + "; the parts of one vector env must agree");
            }
            offsets[p] = total;
            total += part.numEnvs();
        }
        this.numEnvs = total;
        int poolNumber = POOL_NUMBER.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = this.parts.size() == 1 ? null : Executors.newFixedThreadPool(this.parts.size(), runnable -> {
            Thread thread = new Thread(runnable, "gymlink-concat-" + poolNumber + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The parts, in copy order. */
    public List<VectorEnv> parts() {
        return parts;
    }

    @Override
    public int numEnvs() {
        return numEnvs;
    }

    @Override
    public EnvSpec spec() {
        return parts.get(0).spec();
    }

    @Override
    public Space singleObservationSpace() {
        return parts.get(0).singleObservationSpace();
    }

    @Override
    public Space singleActionSpace() {
        return parts.get(0).singleActionSpace();
    }

    @Override
    public AutoresetMode autoresetMode() {
        return parts.get(0).autoresetMode();
    }

    @Override
    public VectorResetResult reset(OptionalLong seed, Map<String, Object> options) throws EnvException {
        List<VectorResetResult> results = onEveryPart((p, part) -> part.reset(
                seed.isPresent() ? OptionalLong.of(seed.getAsLong() + offsets[p]) : OptionalLong.empty(), options));
        Object[] observations = new Object[numEnvs];
        List<Map<String, Object>> infos = new ArrayList<>(numEnvs);
        for (int p = 0; p < parts.size(); p++) {
            VectorResetResult result = results.get(p);
            System.arraycopy(result.observations(), 0, observations, offsets[p], result.numEnvs());
            infos.addAll(result.infos());
        }
        return new VectorResetResult(observations, infos);
    }

    @Override
    public VectorStepResult step(Object[] actions) throws EnvException {
        return step(actions, OptionalLong.empty());
    }

    /** Part {@code p} gets {@code autoresetSeed + offset(p)}, so copy {@code i} of the whole gets {@code + i}. */
    @Override
    public VectorStepResult step(Object[] actions, long autoresetSeed) throws EnvException {
        VectorEnv.checkAutoresetSeed(autoresetMode(), autoresetSeed, numEnvs);
        return step(actions, OptionalLong.of(autoresetSeed));
    }

    private VectorStepResult step(Object[] actions, OptionalLong autoresetSeed) throws EnvException {
        Objects.requireNonNull(actions, "actions");
        if (actions.length != numEnvs) {
            throw new InvalidArgumentException(actions.length + " actions for " + numEnvs + " env copies");
        }
        Space actionSpace = singleActionSpace();
        for (int i = 0; i < numEnvs; i++) {
            actionSpace.checkContains(actions[i], "action of copy " + i);
        }
        List<VectorStepResult> results = onEveryPart((p, part) -> {
            Object[] partActions = new Object[part.numEnvs()];
            System.arraycopy(actions, offsets[p], partActions, 0, partActions.length);
            return autoresetSeed.isPresent() ? part.step(partActions, autoresetSeed.getAsLong() + offsets[p])
                    : part.step(partActions);
        });
        Object[] observations = new Object[numEnvs];
        double[] rewards = new double[numEnvs];
        boolean[] terminated = new boolean[numEnvs];
        boolean[] truncated = new boolean[numEnvs];
        Object[] finalObservations = new Object[numEnvs];
        List<Map<String, Object>> infos = new ArrayList<>(numEnvs);
        List<Map<String, Object>> finalInfos = new ArrayList<>(numEnvs);
        for (int p = 0; p < parts.size(); p++) {
            VectorStepResult result = results.get(p);
            int n = result.numEnvs();
            System.arraycopy(result.observations(), 0, observations, offsets[p], n);
            System.arraycopy(result.rewards(), 0, rewards, offsets[p], n);
            System.arraycopy(result.terminated(), 0, terminated, offsets[p], n);
            System.arraycopy(result.truncated(), 0, truncated, offsets[p], n);
            System.arraycopy(result.finalObservations(), 0, finalObservations, offsets[p], n);
            infos.addAll(result.infos());
            finalInfos.addAll(result.finalInfos());
        }
        return new VectorStepResult(observations, rewards, terminated, truncated, finalObservations, infos, finalInfos,
                autoresetMode());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Closing.closeEach(parts, VectorEnv::close);
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    @FunctionalInterface
    private interface PartCall<T> {
        T call(int partIndex, VectorEnv part) throws EnvException;
    }

    /** Runs the call on every part at once; the first failure (in part order) is rethrown, later ones suppressed. */
    private <T> List<T> onEveryPart(PartCall<T> call) throws EnvException {
        if (closed) {
            throw new EnvStateException("this vector env of " + spec().id() + " is closed");
        }
        if (executor == null) {
            return List.of(call.call(0, parts.get(0)));
        }
        List<Future<T>> futures = new ArrayList<>(parts.size());
        for (int p = 0; p < parts.size(); p++) {
            int partIndex = p;
            futures.add(executor.submit(() -> call.call(partIndex, parts.get(partIndex))));
        }
        List<T> results = new ArrayList<>(parts.size());
        Throwable failure = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                } else {
                    failure.addSuppressed(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new EnvUnavailableException("interrupted while waiting for " + spec().id(), e);
            }
        }
        if (failure instanceof RuntimeException runtimeException) {
            throw runtimeException;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException("unexpected failure of a part of " + spec().id(), failure);
        }
        return results;
    }
}
