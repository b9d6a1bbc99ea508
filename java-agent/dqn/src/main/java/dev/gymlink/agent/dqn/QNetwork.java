package dev.gymlink.agent.dqn;

/**
 * An MLP from observation vectors to one Q-value per action, with its own Adam optimiser.
 *
 * <p>Batches are row-major float arrays: {@code states[b * inputs + i]}, {@code qValues[b * outputs + a]}.
 * The training step is split in two so gradients can be checked: {@link #computeGradients} fills
 * the gradient of the mean TD loss, {@link #applyGradients} clips it and takes one Adam step.
 * Implementations are not thread-safe.
 */
public sealed interface QNetwork extends AutoCloseable permits DenseQNetwork {

    NetworkSpec spec();

    /** Writes Q-values for the first {@code batch} rows of {@code states} into {@code qValues}. */
    void predict(float[] states, int batch, float[] qValues);

    /**
     * Computes {@code mean_b loss(Q(states_b)[actions_b] - targets_b)} and keeps its gradient
     * with respect to every parameter.
     *
     * @return the loss
     */
    double computeGradients(float[] states, int[] actions, float[] targets, int batch);

    /**
     * Rescales the kept gradient to the spec's max norm when it is larger, then takes one Adam step.
     *
     * @return the gradient's global L2 norm before clipping
     */
    double applyGradients();

    /** One full update: {@link #computeGradients} then {@link #applyGradients}; returns the loss. */
    default double train(float[] states, int[] actions, float[] targets, int batch) {
        double loss = computeGradients(states, actions, targets, batch);
        applyGradients();
        return loss;
    }

    /** A copy of the parameters in the {@link NetworkSpec} flat layout. */
    float[] parameters();

    /** Replaces the parameters (flat layout); the optimiser state is left as it is. */
    void setParameters(float[] parameters);

    /** A copy of the last computed gradient (flat layout). */
    float[] gradients();

    /** Hard target update: this network's parameters become {@code source}'s. */
    void copyParametersFrom(QNetwork source);

    /** Polyak target update: {@code this = tau * source + (1 - tau) * this}. */
    void blendParametersFrom(QNetwork source, double tau);

    /** Adam's moments and step count, for checkpoints. */
    AdamState optimizerState();

    void setOptimizerState(AdamState state);

    /** Releases native memory, if any. */
    @Override
    default void close() {}

    /**
     * Adam's state.
     *
     * @param step updates taken (for bias correction)
     * @param firstMoment running mean of gradients, flat layout
     * @param secondMoment running mean of squared gradients, flat layout
     */
    record AdamState(long step, float[] firstMoment, float[] secondMoment) {
        public AdamState {
            if (step < 0) {
                throw new IllegalArgumentException("Adam step must be >= 0, got " + step);
            }
            if (firstMoment.length != secondMoment.length) {
                throw new IllegalArgumentException("Adam moments differ in length: " + firstMoment.length + " vs "
                        + secondMoment.length);
            }
        }
    }
}
