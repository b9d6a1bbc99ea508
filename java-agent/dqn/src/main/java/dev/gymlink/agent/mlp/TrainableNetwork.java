package dev.gymlink.agent.mlp;

/**
 * A dense network whose loss is the caller's: ReLU hidden layers, a linear output, and Adam with
 * optional global gradient-norm clipping ({@link DenseNetwork.Optimizer}). The caller runs
 * {@link #forward}, writes {@code dLoss/dOutput} into {@link #outputGradients}, calls
 * {@link #backward} (which can also return the gradient with respect to the inputs) and then
 * {@link #applyGradients}.
 *
 * <p>Every implementation computes the same function and steps the same way, and addresses its
 * parameters, gradients and Adam moments as one flat vector in {@link DenseNetwork}'s layout (layer
 * by layer, each layer's weights {@code [inputs x outputs]} row-major, then its biases), so saved
 * parameters and optimizer state move between backends ({@link NetworkBackend}). Not thread-safe.
 */
public interface TrainableNetwork extends AutoCloseable {

    /** Widths of all layers, input first, output last. */
    int[] sizes();

    default int inputs() {
        return sizes()[0];
    }

    default int outputs() {
        int[] sizes = sizes();
        return sizes[sizes.length - 1];
    }

    default int parameterCount() {
        return DenseNetwork.parameterCount(sizes());
    }

    /**
     * Runs the first {@code batch} rows of {@code inputs} (row-major) through the network.
     *
     * @return the output rows, {@code [b][j]}; valid until the next forward pass
     */
    float[][] forward(float[] inputs, int batch);

    /**
     * The last hidden layer's outputs (after ReLU) of the last forward pass, {@code [b][j]}: the
     * features the output layer reads. Valid until the next forward pass.
     *
     * @throws IllegalStateException when the network has no hidden layer
     */
    float[][] lastHiddenActivations();

    /**
     * Where the caller writes {@code dLoss/dOutput[b][j]} for the batch of the last {@link #forward},
     * before {@link #backward}. Rows hold what was last written; the caller sets every element it uses.
     */
    float[][] outputGradients();

    /**
     * Backpropagates {@link #outputGradients} of the last forward pass (which must have had these
     * {@code inputs} and {@code batch}) into the parameter gradients, replacing the previous ones.
     *
     * @param inputGradients when not null, receives {@code dLoss/dInput} row-major, {@code [b * inputs + i]}
     */
    void backward(float[] inputs, int batch, float[] inputGradients);

    /**
     * Rescales the kept gradient to the optimizer's max norm when it is larger, then takes one Adam step.
     *
     * @return the gradient's global L2 norm before clipping
     */
    double applyGradients();

    /** A copy of the parameters, flat layout. */
    float[] parameters();

    /** Replaces the parameters (flat layout); Adam's state is left as it is. */
    void setParameters(float[] parameters);

    /** A copy of the last computed gradient, flat layout. */
    float[] gradients();

    /** Hard target update: this network's parameters become {@code source}'s. */
    void copyParametersFrom(TrainableNetwork source);

    /** Polyak target update: {@code this = tau * source + (1 - tau) * this}. */
    void blendParametersFrom(TrainableNetwork source, double tau);

    /** Adam steps taken (for bias correction). */
    long adamStep();

    /** Adam's running mean of gradients, flat layout. */
    float[] firstMoments();

    /** Adam's running mean of squared gradients, flat layout. */
    float[] secondMoments();

    /** Restores Adam's state as {@link #adamStep}, {@link #firstMoments} and {@link #secondMoments} gave it. */
    void setAdamState(long step, float[] firstMoment, float[] secondMoment);

    /** Releases native memory now instead of when the garbage collector finds it; a no-op for the JVM's. */
    @Override
    default void close() {}
}
