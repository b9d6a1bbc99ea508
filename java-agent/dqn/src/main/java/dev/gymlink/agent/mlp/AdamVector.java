package dev.gymlink.agent.mlp;

/**
 * A flat parameter vector that lives outside any {@link DenseNetwork} (SAC's gSDE log standard
 * deviations, for one) and takes the same Adam steps as the networks' parameters. The caller writes
 * {@link #gradients()} and then calls {@link #applyGradients()}.
 */
public final class AdamVector {

    private final float[] values;
    private final float[] gradients;
    private final float[] firstMoment;
    private final float[] secondMoment;
    private final DenseNetwork.Optimizer optimizer;
    private long step;

    public AdamVector(float[] initialValues, DenseNetwork.Optimizer optimizer) {
        this.values = initialValues.clone();
        this.gradients = new float[values.length];
        this.firstMoment = new float[values.length];
        this.secondMoment = new float[values.length];
        this.optimizer = optimizer;
    }

    /** The values, live: read them, do not write them. */
    public float[] values() {
        return values;
    }

    /** Where the caller writes {@code dLoss/dValue} before {@link #applyGradients()}; live. */
    public float[] gradients() {
        return gradients;
    }

    /** One Adam step with the gradients as written (no norm clipping). */
    public void applyGradients() {
        step++;
        DenseNetwork.adamUpdate(new float[][] {values}, new float[][] {gradients}, new float[][] {firstMoment},
                new float[][] {secondMoment}, 1f, step, optimizer);
    }

    public int size() {
        return values.length;
    }

    public long adamStep() {
        return step;
    }

    public float[] firstMoments() {
        return firstMoment.clone();
    }

    public float[] secondMoments() {
        return secondMoment.clone();
    }

    /** Restores values and Adam's state as a checkpoint saved them. */
    public void restore(float[] savedValues, long savedStep, float[] savedFirstMoment, float[] savedSecondMoment) {
        if (savedValues.length != values.length || savedFirstMoment.length != values.length
                || savedSecondMoment.length != values.length) {
            throw new IllegalArgumentException("a vector of " + values.length + " values cannot take saved arrays of "
                    + savedValues.length + ", " + savedFirstMoment.length + " and " + savedSecondMoment.length);
        }
        if (savedStep < 0) {
            throw new IllegalArgumentException("Adam step must be >= 0, got " + savedStep);
        }
        System.arraycopy(savedValues, 0, values, 0, values.length);
        System.arraycopy(savedFirstMoment, 0, firstMoment, 0, values.length);
        System.arraycopy(savedSecondMoment, 0, secondMoment, 0, values.length);
        step = savedStep;
    }
}
