package dev.gymlink.env;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A {@link VectorEnv} that steps its copies one after another in the calling thread, like
 * Gymnasium's {@code SyncVectorEnv}, in either {@link AutoresetMode}. Same-step (the default): a
 * copy whose episode ends in a step is reset (without a seed, so its generator continues) before the
 * step returns, its last observation and info going to {@code finalObservations} and
 * {@code finalInfos}. Next-step: the copy's next step resets it the same way instead of stepping
 * it, ignores its action and reports reward 0, as Gymnasium's default does.
 *
 * <p>Every action is checked against the action space before any copy moves, so a bad action
 * leaves all copies as they were. If a copy itself fails mid-step the copies are out of step with
 * each other; the vector then refuses to step until it is reset.
 *
 * <p>Built for the training hot path: a step allocates the result arrays and nothing else unless
 * a copy returns a non-empty info. Takes ownership of the copies: closing this closes them. Not
 * thread-safe.
 */
public final class SyncVectorEnv implements VectorEnv {

    /** Makes copy {@code index} of the env. */
    @FunctionalInterface
    public interface EnvFactory {
        Env make(int index) throws EnvException;
    }

    private final Env[] envs;
    private final Space observationSpace;
    private final Space actionSpace;
    private final List<Map<String, Object>> emptyInfos;
    private final AutoresetMode autoresetMode;
    /** NEXT_STEP: copies whose episode ended in the last step, to be reset by the next. */
    private final boolean[] autoresetDue;
    private boolean needsReset = true;
    private String needsResetReason = "call reset() before step()";
    private boolean closed;

    /**
     * Takes over already-made copies of one env, with same-step autoreset.
     *
     * @throws IllegalArgumentException when there are none or they differ in id or spaces
     */
    public SyncVectorEnv(List<? extends Env> envs) {
        this(envs, AutoresetMode.SAME_STEP);
    }

    /**
     * Takes over already-made copies of one env.
     *
     * @throws IllegalArgumentException when there are none or they differ in id or spaces
     */
    public SyncVectorEnv(List<? extends Env> envs, AutoresetMode autoresetMode) {
        Objects.requireNonNull(envs, "envs");
        this.autoresetMode = Objects.requireNonNull(autoresetMode, "autoresetMode");
        if (envs.isEmpty()) {
            throw new IllegalArgumentException("a vector env needs at least one copy");
        }
        this.envs = envs.toArray(new Env[0]);
        Env first = this.envs[0];
        for (int i = 0; i < this.envs.length; i++) {
            Env env = Objects.requireNonNull(this.envs[i], "copy " + i);
            if (!env.spec().id().equals(first.spec().id())
                    || !env.observationSpace().equals(first.observationSpace())
                    || !env.actionSpace().equals(first.actionSpace())) {
                throw new IllegalArgumentException("copy " + i + " is " + env.spec().id() + " with observations "
                        + env.observationSpace() + " and actions " + env.actionSpace() + ", but copy 0 is "
                        + first.spec().id() + " with " + first.observationSpace() + " and " + first.actionSpace());
            }
        }
        this.observationSpace = first.observationSpace();
        this.actionSpace = first.actionSpace();
        // An immutable List.of-style list passes through the result records' List.copyOf uncopied.
        this.emptyInfos = List.copyOf(Collections.nCopies(this.envs.length, Map.of()));
        this.autoresetDue = new boolean[this.envs.length];
    }

    /**
     * Makes {@code numEnvs} copies with {@code factory}, with same-step autoreset; if one cannot be
     * made, closes those that were.
     */
    public static SyncVectorEnv create(int numEnvs, EnvFactory factory) throws EnvException {
        return create(numEnvs, AutoresetMode.SAME_STEP, factory);
    }

    /**
     * Makes {@code numEnvs} copies with {@code factory}; if one cannot be made, closes those that were.
     */
    public static SyncVectorEnv create(int numEnvs, AutoresetMode autoresetMode, EnvFactory factory)
            throws EnvException {
        Objects.requireNonNull(autoresetMode, "autoresetMode");
        if (numEnvs <= 0) {
            throw new IllegalArgumentException("numEnvs must be positive, got " + numEnvs);
        }
        Objects.requireNonNull(factory, "factory");
        List<Env> made = new ArrayList<>(numEnvs);
        try {
            for (int i = 0; i < numEnvs; i++) {
                made.add(Objects.requireNonNull(factory.make(i), "factory returned null for copy " + i));
            }
            return new SyncVectorEnv(made, autoresetMode);
        } catch (RuntimeException e) {
            made.forEach(Env::close);
            throw e;
        }
    }

    @Override
    public int numEnvs() {
        return envs.length;
    }

    @Override
    public EnvSpec spec() {
        return envs[0].spec();
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

    @Override
    public VectorResetResult reset(OptionalLong seed, Map<String, Object> options) throws EnvException {
        checkOpen();
        Objects.requireNonNull(seed, "seed");
        if (seed.isPresent() && seed.getAsLong() > Long.MAX_VALUE - (envs.length - 1)) {
            throw new InvalidArgumentException("seed " + seed.getAsLong() + " + " + (envs.length - 1)
                    + " for the last copy overflows a long");
        }
        Object[] observations = new Object[envs.length];
        List<Map<String, Object>> infos = new ArrayList<>(envs.length);
        needsReset = true;
        needsResetReason = "the last reset failed; call reset() before step()";
        for (int i = 0; i < envs.length; i++) {
            OptionalLong copySeed = seed.isPresent() ? OptionalLong.of(seed.getAsLong() + i) : OptionalLong.empty();
            ResetResult result = envs[i].reset(copySeed, options);
            observations[i] = result.observation();
            infos.add(result.info());
        }
        Arrays.fill(autoresetDue, false);
        needsReset = false;
        return new VectorResetResult(observations, infos);
    }

    @Override
    public VectorStepResult step(Object[] actions) throws EnvException {
        return step(actions, OptionalLong.empty());
    }

    @Override
    public VectorStepResult step(Object[] actions, long autoresetSeed) throws EnvException {
        VectorEnv.checkAutoresetSeed(autoresetMode, autoresetSeed, envs.length);
        return step(actions, OptionalLong.of(autoresetSeed));
    }

    private VectorStepResult step(Object[] actions, OptionalLong autoresetSeed) throws EnvException {
        checkOpen();
        checkActions(actions);
        if (needsReset) {
            throw new EnvStateException(needsResetReason);
        }
        int n = envs.length;
        Object[] observations = new Object[n];
        double[] rewards = new double[n];
        boolean[] terminated = new boolean[n];
        boolean[] truncated = new boolean[n];
        Object[] finalObservations = new Object[n];
        List<Map<String, Object>> infos = emptyInfos;
        List<Map<String, Object>> finalInfos = emptyInfos;
        needsReset = true;
        needsResetReason = "a copy failed during the last step, so the copies are out of step; call reset()";
        for (int i = 0; i < n; i++) {
            Map<String, Object> info;
            if (autoresetDue[i]) {
                // NEXT_STEP: the copy ended last step, so this step resets it and ignores its action.
                ResetResult reset = envs[i].reset();
                observations[i] = reset.observation();
                info = reset.info();
                autoresetDue[i] = false;
            } else {
                StepResult result = envs[i].step(actions[i]);
                rewards[i] = result.reward();
                terminated[i] = result.terminated();
                truncated[i] = result.truncated();
                info = result.info();
                if (result.done() && autoresetMode == AutoresetMode.SAME_STEP) {
                    finalObservations[i] = result.observation();
                    if (!info.isEmpty()) {
                        finalInfos = mutableCopy(finalInfos);
                        finalInfos.set(i, info);
                    }
                    ResetResult reset = autoresetSeed.isPresent()
                            ? envs[i].reset(autoresetSeed.getAsLong() + i) : envs[i].reset();
                    observations[i] = reset.observation();
                    info = reset.info();
                } else {
                    observations[i] = result.observation();
                    autoresetDue[i] = result.done();
                }
            }
            if (!info.isEmpty()) {
                infos = mutableCopy(infos);
                infos.set(i, info);
            }
        }
        needsReset = false;
        return new VectorStepResult(observations, rewards, terminated, truncated, finalObservations, infos, finalInfos,
                autoresetMode);
    }

    /** Closes every copy (each even if another fails); closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Closing.closeEach(Arrays.asList(envs), Env::close);
    }

    @Override
    public String toString() {
        return "SyncVectorEnv(" + spec().id() + ", num_envs=" + envs.length
                + (autoresetMode == AutoresetMode.SAME_STEP ? "" : ", autoreset=" + autoresetMode) + ")";
    }

    private void checkActions(Object[] actions) throws InvalidArgumentException {
        if (actions == null) {
            throw new InvalidArgumentException("actions must not be null");
        }
        if (actions.length != envs.length) {
            throw new InvalidArgumentException(
                    actions.length + " actions for " + envs.length + " copies: " + Arrays.toString(actions));
        }
        for (int i = 0; i < actions.length; i++) {
            if (!actionSpace.contains(actions[i])) {
                throw new InvalidArgumentException("action at index " + i + ": "
                        + PythonRepr.describeValue(actions[i]) + " is not in " + actionSpace);
            }
        }
    }

    private void checkOpen() throws EnvStateException {
        if (closed) {
            throw new EnvStateException(this + " is closed");
        }
    }

    private List<Map<String, Object>> mutableCopy(List<Map<String, Object>> infos) {
        return infos == emptyInfos ? new ArrayList<>(infos) : infos;
    }
}
