package dev.gymlink.agent.sac;

import dev.gymlink.agent.mlp.AdamVector;
import dev.gymlink.agent.mlp.DenseNetwork;
import dev.gymlink.agent.mlp.NetworkBackend;
import dev.gymlink.agent.mlp.TrainableNetwork;
import dev.gymlink.agent.run.Rng;
import dev.gymlink.agent.run.RunRandomness;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The learning part of SAC (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and Applications"),
 * as Stable-Baselines3 implements it: a squashed Gaussian actor, twin Q critics with Polyak-averaged
 * target copies, and an entropy coefficient learned towards a target entropy. It knows nothing about
 * envs beyond the Box it acts in; the {@code Trainer} drives it.
 *
 * <p>Actions inside the agent (actor output, replay, critic input) live in [-1, 1] per element;
 * {@link #envAction} scales them affinely to the Box's bounds, which therefore must be finite.
 *
 * <p>One gradient step ({@link #learn()}): with {@code alpha = exp(logAlpha)} as it stands,
 * <ol>
 *   <li>critic targets {@code y = r + gamma * (1 - terminated) * (min_k Q'_k(s', a') - alpha * log pi(a'|s'))}
 *       with {@code a'} drawn from the actor (truncation does not cut the bootstrap);</li>
 *   <li>each critic takes an Adam step on {@code 0.5 * mean (Q_k(s, a) - y)^2};</li>
 *   <li>the actor takes one on {@code mean (alpha * log pi(a~|s) - min_k Q_k(s, a~))}, {@code a~}
 *       reparameterised, the gradient flowing through the (just updated) critics to the action;</li>
 *   <li>{@code logAlpha} takes one on {@code -mean logAlpha * (log pi(a~|s) + targetEntropy)};</li>
 *   <li>the target critics blend {@code tau} of the critics in.</li>
 * </ol>
 *
 * <p>With gSDE ({@link SacConfig.StateDependentNoise}) the actor's outputs are only the means
 * (clipped to +-{@value #SDE_MEAN_CLIP} before the squash, as in Stable-Baselines3), the Gaussian's
 * noise is {@code latent(s) . E} with {@code E = exp(logStd) * eps} held fixed for a while, its
 * variance {@code sum_j latent_j^2 exp(logStd_j)^2}, and {@code logStd} takes Adam steps with the
 * actor. The features {@code latent(s)} take no gradient through the noise (SB3's
 * {@code learn_features=False}). One {@code E} serves all rows of a gradient step.
 */
public final class SacAgent implements AutoCloseable {

    /** Stable-Baselines3's clamp of the actor's log standard deviation. */
    static final double LOG_STD_MIN = -20;
    static final double LOG_STD_MAX = 2;
    /** Guards log(1 - tanh(u)^2) at saturation, as Stable-Baselines3's TanhBijector does. */
    static final double SQUASH_EPSILON = 1e-6;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    /** gSDE: Stable-Baselines3's clip of the actor's means before the squash. */
    static final double SDE_MEAN_CLIP = 2.0;
    /** gSDE: added to the variance, as Stable-Baselines3's StateDependentNoiseDistribution does. */
    private static final double SDE_VARIANCE_EPSILON = 1e-6;

    private final SacConfig config;
    private final Box actionSpace;
    private final int observationSize;
    private final int actionSize;
    private final double targetEntropy;
    private final RunRandomness random;

    private final TrainableNetwork actor;
    private final TrainableNetwork critic1;
    private final TrainableNetwork critic2;
    private final TrainableNetwork target1;
    private final TrainableNetwork target2;
    /** gSDE's learned log standard deviations, {@code [j * actionSize + i]}; null without gSDE. */
    private final AdamVector logStd;
    private final int latentSize;
    /** gSDE: {@code exp(logStd)} as of the last {@link #sampleStateDependent}, computed once per batch. */
    private final double[] sdeStd;
    /** gSDE's noise matrices {@code E} of the env copies while acting, one after another. */
    private final float[] actingNoise;
    private boolean actingNoiseDrawn;
    private double logAlpha;
    private final ScalarAdam alphaOptimizer;
    private final SacReplayBuffer replay;

    private final SacReplayBuffer.Batch batch;
    private final Sample sample;
    private final float[] criticInput;
    private final float[] criticInputGradients;
    private final float[] targets;
    private final float[] q1;
    private final float[] q2;
    private final float[] noise;
    private final float[] actionGradients;
    private double lastMeanLogProb;

    private long gradientSteps;
    private double recentLoss = Double.NaN;

    /**
     * A fresh agent for observations of {@code observationSize} floats and actions of {@code actionSpace}.
     *
     * @throws IllegalArgumentException when the Box is not float, or has an infinite bound
     */
    public static SacAgent create(SacConfig config, int observationSize, Box actionSpace) {
        requireBoundedFloatBox(actionSpace);
        RunRandomness random = RunRandomness.fromSeed(config.seed());
        int actions = actionSpace.size();
        Rng init = random.networkInit();
        float[] actorParameters = initialParameters(actorSizes(config, observationSize, actions), init);
        float[] critic1Parameters = initialParameters(criticSizes(config, observationSize, actions), init);
        float[] critic2Parameters = initialParameters(criticSizes(config, observationSize, actions), init);
        float[] logStd = null;
        if (config.sde().enabled()) {
            logStd = new float[latentSize(config) * actions];
            Arrays.fill(logStd, (float) config.sde().logStdInit());
        }
        return new SacAgent(config, observationSize, actionSpace, random, actorParameters, critic1Parameters,
                critic2Parameters, logStd);
    }

    /**
     * Refuses what SAC cannot act in: an integer Box, or one with an infinite bound (the squashed
     * actor's [-1, 1] is scaled onto the bounds), naming the offending bounds.
     */
    public static void requireBoundedFloatBox(Box actionSpace) {
        if (actionSpace.dtype().isIntegral()) {
            throw new IllegalArgumentException("SAC needs a float Box action space, got " + actionSpace);
        }
        for (int i = 0; i < actionSpace.size(); i++) {
            if (!actionSpace.isBounded(i)) {
                throw new IllegalArgumentException("SAC needs a Box action space with finite bounds (it scales its"
                        + " [-1, 1] actions onto them), but element " + i + " of " + actionSpace + " has low "
                        + actionSpace.low()[i] + " and high " + actionSpace.high()[i]);
            }
        }
    }

    private SacAgent(SacConfig config, int observationSize, Box actionSpace, RunRandomness random,
            float[] actorParameters, float[] critic1Parameters, float[] critic2Parameters, float[] logStdValues) {
        this.config = Objects.requireNonNull(config, "config");
        this.actionSpace = actionSpace;
        this.observationSize = observationSize;
        this.actionSize = actionSpace.size();
        this.targetEntropy = config.entropy().targetFor(actionSize);
        this.random = random;
        DenseNetwork.Optimizer adam = new DenseNetwork.Optimizer(config.learningRate(), config.adamEpsilon(),
                Double.POSITIVE_INFINITY);
        int[] criticSizes = criticSizes(config, observationSize, actionSize);
        NetworkBackend backend = config.resolvedBackend();
        this.actor = backend.create(actorSizes(config, observationSize, actionSize), adam, actorParameters);
        this.critic1 = backend.create(criticSizes, adam, critic1Parameters);
        this.critic2 = backend.create(criticSizes, adam, critic2Parameters);
        this.target1 = backend.create(criticSizes, adam, critic1Parameters);
        this.target2 = backend.create(criticSizes, adam, critic2Parameters);
        this.latentSize = latentSize(config);
        this.logStd = logStdValues == null ? null : new AdamVector(logStdValues, adam);
        this.actingNoise = logStd == null ? null : new float[config.numEnvs() * latentSize * actionSize];
        this.sdeStd = logStd == null ? null : new double[latentSize * actionSize];
        this.logAlpha = Math.log(config.entropy().initial());
        this.alphaOptimizer = new ScalarAdam(config.learningRate(), config.adamEpsilon());
        this.replay = new SacReplayBuffer(config.bufferSize(), observationSize, actionSize);
        int size = config.batchSize();
        this.batch = new SacReplayBuffer.Batch(size, observationSize, actionSize);
        this.sample = new Sample(Math.max(size, config.numEnvs()), actionSize);
        this.criticInput = new float[size * (observationSize + actionSize)];
        this.criticInputGradients = new float[criticInput.length];
        this.targets = new float[size];
        this.q1 = new float[size];
        this.q2 = new float[size];
        this.noise = new float[Math.max(Math.max(size, config.numEnvs()) * actionSize, latentSize * actionSize)];
        this.actionGradients = new float[size * actionSize];
    }

    /** The actor's layers: means and log standard deviations, or only means with gSDE. */
    static int[] actorSizes(SacConfig config, int observationSize, int actionSize) {
        return layerSizes(observationSize, config, config.sde().enabled() ? actionSize : 2 * actionSize);
    }

    /** Width of the actor's last hidden layer, gSDE's features. */
    private static int latentSize(SacConfig config) {
        return config.hiddenSizes().get(config.hiddenSizes().size() - 1);
    }

    static int[] criticSizes(SacConfig config, int observationSize, int actionSize) {
        return layerSizes(observationSize + actionSize, config, 1);
    }

    private static int[] layerSizes(int inputs, SacConfig config, int outputs) {
        int[] sizes = new int[config.hiddenSizes().size() + 2];
        sizes[0] = inputs;
        for (int i = 0; i < config.hiddenSizes().size(); i++) {
            sizes[i + 1] = config.hiddenSizes().get(i);
        }
        sizes[sizes.length - 1] = outputs;
        return sizes;
    }

    /** PyTorch's default for linear layers: weights and biases uniform in +-1/sqrt(fan-in). */
    private static float[] initialParameters(int[] sizes, Rng rng) {
        return DenseNetwork.initialParameters(sizes, (fanIn, fanOut) -> 1 / Math.sqrt(fanIn),
                fanIn -> 1 / Math.sqrt(fanIn), rng::nextDouble);
    }

    /**
     * Exploring actions in [-1, 1] for {@code count} observations (row-major): uniformly random
     * before {@code learningStarts} env steps, afterwards drawn from the actor.
     */
    public void explore(float[] observations, int count, long envSteps, float[] unitActions) {
        Rng rng = random.exploration();
        if (envSteps < config.learningStarts()) {
            for (int k = 0; k < count * actionSize; k++) {
                unitActions[k] = (float) (rng.nextDouble() * 2 - 1);
            }
            return;
        }
        Sample drawn;
        if (logStd != null) {
            if (!actingNoiseDrawn || actingNoiseDue(envSteps)) {
                for (int copy = 0; copy < config.numEnvs(); copy++) {
                    drawNoiseMatrix(rng, actingNoise, copy * latentSize * actionSize);
                }
                actingNoiseDrawn = true;
            }
            drawn = sampleStateDependent(observations, count, actingNoise, true);
        } else {
            drawn = sampleActions(observations, count, drawNoise(rng, count));
        }
        System.arraycopy(drawn.actions, 0, unitActions, 0, count * actionSize);
    }

    /**
     * Whether the vector step starting at {@code envSteps} draws fresh acting noise: at the start of
     * each round of {@code trainFrequency} steps (Stable-Baselines3 draws at each rollout's start),
     * and every {@code sampleFrequency} steps within a round when that is set.
     */
    private boolean actingNoiseDue(long envSteps) {
        long vectorStep = envSteps / config.numEnvs();
        long inRound = vectorStep % Math.max(1, config.trainFrequency() / config.numEnvs());
        int every = config.sde().sampleFrequency();
        return every > 0 ? inRound % every == 0 : inRound == 0;
    }

    /** {@code E = exp(logStd) * eps} into {@code matrix[offset ..]}, eps standard normal. */
    private void drawNoiseMatrix(Rng rng, float[] matrix, int offset) {
        float[] logStdValues = logStd.values();
        for (int k = 0; k < logStdValues.length; k++) {
            matrix[offset + k] = (float) (Math.exp(logStdValues[k]) * rng.nextGaussian());
        }
    }

    /** The deterministic policy in [-1, 1]: {@code tanh} of the Gaussian's mean. */
    public void greedy(float[] observations, int count, float[] unitActions) {
        float[][] out = actor.forward(observations, count);
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < actionSize; i++) {
                unitActions[b * actionSize + i] = (float) Math.tanh(logStd != null ? clipMean(out[b][i]) : out[b][i]);
            }
        }
    }

    private static double clipMean(double mean) {
        return Math.max(-SDE_MEAN_CLIP, Math.min(SDE_MEAN_CLIP, mean));
    }

    /** The env's action for {@code unitActions[offset ..]}: [-1, 1] scaled onto the Box's bounds. */
    public Tensor envAction(float[] unitActions, int offset) {
        double[] values = new double[actionSize];
        double[] low = actionSpace.low();
        double[] high = actionSpace.high();
        for (int i = 0; i < actionSize; i++) {
            double scaled = low[i] + (unitActions[offset + i] + 1.0) * 0.5 * (high[i] - low[i]);
            // Rounded to the Box's dtype and clamped, so rounding never leaves the space.
            values[i] = Math.min(high[i], Math.max(low[i], actionSpace.dtype().narrow(scaled)));
        }
        return new Tensor(actionSpace.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32,
                actionSpace.shape().clone(), values);
    }

    /** Stores one transition; {@code unitActions[actionOffset ..]} is the action in [-1, 1]. */
    public void remember(float[] observation, int observationOffset, float[] unitActions, int actionOffset,
            float reward, float[] nextObservation, int nextOffset, boolean terminated) {
        replay.add(observation, observationOffset, unitActions, actionOffset, reward, nextObservation, nextOffset,
                terminated);
    }

    /** Gradient steps due for the env steps {@code (stepsBefore, envSteps]}, on SB3's schedule. */
    public long gradientStepsDue(long stepsBefore, long envSteps) {
        if (envSteps <= config.learningStarts()) {
            return 0;
        }
        long rounds = envSteps / config.trainFrequency() - stepsBefore / config.trainFrequency();
        return rounds * config.gradientSteps();
    }

    /**
     * One gradient step of critics, actor and entropy coefficient, then the target blend.
     *
     * @return the critics' loss on the batch
     */
    public double learn() {
        int size = config.batchSize();
        Rng rng = random.replay();
        replay.sample(rng, size, batch);
        double alpha = Math.exp(logAlpha);

        float[] stepNoise = null;
        if (logStd != null) {
            // One gSDE matrix for this whole gradient step, next actions and actor loss alike.
            stepNoise = noise;
            drawNoiseMatrix(rng, stepNoise, 0);
        }

        // Targets from the actor's next actions and the target critics.
        Sample next = logStd != null ? sampleStateDependent(batch.nextObservations, size, stepNoise, false)
                : sampleActions(batch.nextObservations, size, drawNoise(rng, size));
        criticValues(target1, batch.nextObservations, next.actions, size, q1);
        criticValues(target2, batch.nextObservations, next.actions, size, q2);
        float gamma = (float) config.gamma();
        for (int b = 0; b < size; b++) {
            double soft = Math.min(q1[b], q2[b]) - alpha * next.logProbs[b];
            targets[b] = batch.terminated[b] ? batch.rewards[b] : (float) (batch.rewards[b] + gamma * soft);
        }
        double criticLoss = criticLoss(critic1, batch.observations, batch.actions, targets, size);
        critic1.applyGradients();
        criticLoss += criticLoss(critic2, batch.observations, batch.actions, targets, size);
        critic2.applyGradients();

        actorLoss(batch.observations, size, logStd != null ? stepNoise : drawNoise(rng, size), alpha);
        actor.applyGradients();
        if (logStd != null) {
            logStd.applyGradients();
        }
        if (config.entropy().learned()) {
            // d/dlogAlpha of -mean(logAlpha * (logPi + targetEntropy)).
            logAlpha = alphaOptimizer.step(logAlpha, -(lastMeanLogProb + targetEntropy));
        }
        target1.blendParametersFrom(critic1, config.tau());
        target2.blendParametersFrom(critic2, config.tau());

        gradientSteps++;
        recentLoss = Double.isNaN(recentLoss) ? criticLoss : 0.99 * recentLoss + 0.01 * criticLoss;
        return criticLoss;
    }

    private float[] drawNoise(Rng rng, int count) {
        for (int k = 0; k < count * actionSize; k++) {
            noise[k] = (float) rng.nextGaussian();
        }
        return noise;
    }

    /**
     * {@code 0.5 * mean_b (Q(s_b, a_b) - y_b)^2}; leaves its gradient in {@code critic}.
     *
     * @return the loss
     */
    double criticLoss(TrainableNetwork critic, float[] observations, float[] actions, float[] targets, int count) {
        joinObservationsAndActions(observations, actions, count);
        float[][] q = critic.forward(criticInput, count);
        float[][] gradient = critic.outputGradients();
        double sum = 0;
        for (int b = 0; b < count; b++) {
            double error = q[b][0] - targets[b];
            sum += error * error;
            gradient[b][0] = (float) (error / count);
        }
        critic.backward(criticInput, count, null);
        return 0.5 * sum / count;
    }

    /**
     * The actor's loss {@code mean_b (alpha * log pi(a_b|s_b) - min_k Q_k(s_b, a_b))} for actions
     * reparameterised with {@code noise} (with gSDE: one noise matrix {@code E}); leaves its gradient in
     * the actor, and with gSDE in {@code logStd} (the critics' own gradients are scratch afterwards).
     *
     * @return the loss; {@link #lastMeanLogProb} is the mean log-probability of the drawn actions
     */
    double actorLoss(float[] observations, int count, float[] noise, double alpha) {
        Sample drawn = logStd != null ? sampleStateDependent(observations, count, noise, false)
                : sampleActions(observations, count, noise);
        // dQ/da through whichever critic is lower, per row.
        float[] dQ = actionGradients;
        Arrays.fill(dQ, 0, count * actionSize, 0f);
        criticValues(critic1, observations, drawn.actions, count, q1);
        criticValues(critic2, observations, drawn.actions, count, q2);
        addActionGradient(critic1, count, dQ, true);
        addActionGradient(critic2, count, dQ, false);

        // The actor's activations are still those of sampleActions: the critics have their own.
        float[][] gradient = actor.outputGradients();
        float[][] latent = logStd != null ? actor.lastHiddenActivations() : null;
        float[] logStdGradients = logStd != null ? logStd.gradients() : null;
        if (logStdGradients != null) {
            Arrays.fill(logStdGradients, 0f);
        }
        double logProbSum = 0;
        double lossSum = 0;
        for (int b = 0; b < count; b++) {
            logProbSum += drawn.logProbs[b];
            lossSum += alpha * drawn.logProbs[b] - Math.min(q1[b], q2[b]);
            for (int i = 0; i < actionSize; i++) {
                int k = b * actionSize + i;
                double a = drawn.actions[k];
                double oneMinusSquare = 1 - a * a;
                double dLogProbDu = 2 * a * oneMinusSquare / (oneMinusSquare + SQUASH_EPSILON);
                double dLossDu = (alpha * dLogProbDu - dQ[k] * oneMinusSquare) / count;
                if (latent != null) {
                    gradient[b][i] = drawn.clamped[k] ? 0f : (float) dLossDu;
                    addLogStdGradient(latent[b], noise, i, drawn.noiseTerm[k], drawn.std[k], dLossDu, alpha / count,
                            logStdGradients);
                    continue;
                }
                gradient[b][i] = (float) dLossDu;
                // The Gaussian term of log pi is -0.5 eps^2 - logStd - const with eps held fixed.
                double dLossDLogStd = dLossDu * drawn.std[k] * noise[k] - alpha / count;
                gradient[b][actionSize + i] = drawn.clamped[k] ? 0f : (float) dLossDLogStd;
            }
        }
        actor.backward(observations, count, null);
        lastMeanLogProb = logProbSum / count;
        return lossSum / count;
    }

    /**
     * gSDE: adds one row's {@code dLoss/dlogStd[j][i]} for action element {@code i}, whose noise
     * {@code n = sum_j latent_j E[j][i]} (with {@code E[j][i] = std[j][i] eps[j][i]}) and standard
     * deviation {@code sigma = sqrt(sum_j latent_j^2 std[j][i]^2 + 1e-6)} both depend on
     * {@code logStd}: through the action ({@code dLossDu}) and through the Gaussian log-density
     * {@code -n^2 / (2 sigma^2) - log sigma}, weighted {@code alphaOverCount}.
     */
    private void addLogStdGradient(float[] latent, float[] matrix, int i, double n, double sigma, double dLossDu,
            double alphaOverCount, float[] logStdGradients) {
        double variance = sigma * sigma;
        double dLossDn = dLossDu - alphaOverCount * n / variance;
        // d/dsigma of the density term, times dsigma/dstd = latent^2 std / sigma, times dstd/dlogStd = std.
        double dLossDVarianceTerm = alphaOverCount * (n * n / variance - 1) / variance;
        for (int j = 0; j < latentSize; j++) {
            double l = latent[j];
            if (l == 0) {
                continue;
            }
            int k = j * actionSize + i;
            double std = sdeStd[k];
            logStdGradients[k] += (float) (dLossDn * l * matrix[k] + dLossDVarianceTerm * l * l * std * std);
        }
    }

    /** Adds {@code dQ/da} of {@code critic}'s last forward pass, for the rows where it is the lower one. */
    private void addActionGradient(TrainableNetwork critic, int count, float[] dQ, boolean first) {
        float[][] gradient = critic.outputGradients();
        for (int b = 0; b < count; b++) {
            boolean lower = first ? q1[b] <= q2[b] : q2[b] < q1[b];
            gradient[b][0] = lower ? 1f : 0f;
        }
        // Its activations are those of criticValues on the same input, which is still in criticInput.
        critic.backward(criticInput, count, criticInputGradients);
        int width = observationSize + actionSize;
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < actionSize; i++) {
                dQ[b * actionSize + i] += criticInputGradients[b * width + observationSize + i];
            }
        }
    }

    private void criticValues(TrainableNetwork critic, float[] observations, float[] actions, int count, float[] out) {
        joinObservationsAndActions(observations, actions, count);
        float[][] q = critic.forward(criticInput, count);
        for (int b = 0; b < count; b++) {
            out[b] = q[b][0];
        }
    }

    private void joinObservationsAndActions(float[] observations, float[] actions, int count) {
        int width = observationSize + actionSize;
        for (int b = 0; b < count; b++) {
            System.arraycopy(observations, b * observationSize, criticInput, b * width, observationSize);
            System.arraycopy(actions, b * actionSize, criticInput, b * width + observationSize, actionSize);
        }
    }

    /** Squashed Gaussian draws {@code tanh(mean + std * noise)} and their log-probabilities. */
    Sample sampleActions(float[] observations, int count, float[] noise) {
        float[][] out = actor.forward(observations, count);
        Sample s = sample.ensure(count);
        for (int b = 0; b < count; b++) {
            double logProb = 0;
            for (int i = 0; i < actionSize; i++) {
                int k = b * actionSize + i;
                double rawLogStd = out[b][actionSize + i];
                double logStd = Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, rawLogStd));
                double std = Math.exp(logStd);
                double u = out[b][i] + std * noise[k];
                double a = Math.tanh(u);
                logProb += -0.5 * noise[k] * noise[k] - logStd - HALF_LOG_TWO_PI
                        - Math.log(1 - a * a + SQUASH_EPSILON);
                s.actions[k] = (float) a;
                s.std[k] = (float) std;
                s.clamped[k] = rawLogStd < LOG_STD_MIN || rawLogStd > LOG_STD_MAX;
            }
            s.logProbs[b] = logProb;
        }
        return s;
    }

    /**
     * gSDE's squashed Gaussian draws {@code tanh(clip(mean) + latent . E)} and their log-probabilities;
     * {@code E} is {@code matrices[b * latent * actions ..]} per row when {@code perRow}, else one
     * matrix for all rows. {@link Sample#std} holds the Gaussian's sigma, {@link Sample#clamped}
     * whether the mean was clipped.
     */
    Sample sampleStateDependent(float[] observations, int count, float[] matrices, boolean perRow) {
        float[][] out = actor.forward(observations, count);
        float[][] latent = actor.lastHiddenActivations();
        float[] logStdValues = logStd.values();
        for (int k = 0; k < sdeStd.length; k++) {
            sdeStd[k] = Math.exp(logStdValues[k]);
        }
        Sample s = sample.ensure(count);
        int matrixSize = latentSize * actionSize;
        for (int b = 0; b < count; b++) {
            int offset = perRow ? b * matrixSize : 0;
            double logProb = 0;
            for (int i = 0; i < actionSize; i++) {
                double n = 0;
                double variance = SDE_VARIANCE_EPSILON;
                for (int j = 0; j < latentSize; j++) {
                    double l = latent[b][j];
                    double std = sdeStd[j * actionSize + i];
                    n += l * matrices[offset + j * actionSize + i];
                    variance += l * l * std * std;
                }
                int k = b * actionSize + i;
                double mean = out[b][i];
                double a = Math.tanh(clipMean(mean) + n);
                logProb += -0.5 * n * n / variance - 0.5 * Math.log(variance) - HALF_LOG_TWO_PI
                        - Math.log(1 - a * a + SQUASH_EPSILON);
                s.actions[k] = (float) a;
                s.std[k] = (float) Math.sqrt(variance);
                s.noiseTerm[k] = (float) n;
                s.clamped[k] = Math.abs(mean) > SDE_MEAN_CLIP;
            }
            s.logProbs[b] = logProb;
        }
        return s;
    }

    /** Work arrays of one batch of squashed Gaussian draws. */
    static final class Sample {
        float[] actions;
        float[] std;
        /** gSDE only: the noise added to the mean before the squash. */
        float[] noiseTerm;
        boolean[] clamped;
        double[] logProbs;
        private final int actionSize;

        Sample(int capacity, int actionSize) {
            this.actionSize = actionSize;
            allocate(capacity);
        }

        Sample ensure(int count) {
            if (logProbs.length < count) {
                allocate(count);
            }
            return this;
        }

        private void allocate(int capacity) {
            actions = new float[capacity * actionSize];
            std = new float[capacity * actionSize];
            noiseTerm = new float[capacity * actionSize];
            clamped = new boolean[capacity * actionSize];
            logProbs = new double[capacity];
        }
    }

    /** Adam on one parameter (PyTorch's update, in double). */
    static final class ScalarAdam {
        private final double learningRate;
        private final double epsilon;
        long step;
        double firstMoment;
        double secondMoment;

        ScalarAdam(double learningRate, double epsilon) {
            this.learningRate = learningRate;
            this.epsilon = epsilon;
        }

        double step(double value, double gradient) {
            step++;
            firstMoment = DenseNetwork.ADAM_BETA1 * firstMoment + (1 - DenseNetwork.ADAM_BETA1) * gradient;
            secondMoment = DenseNetwork.ADAM_BETA2 * secondMoment
                    + (1 - DenseNetwork.ADAM_BETA2) * gradient * gradient;
            double firstCorrected = firstMoment / (1 - Math.pow(DenseNetwork.ADAM_BETA1, step));
            double secondCorrected = secondMoment / (1 - Math.pow(DenseNetwork.ADAM_BETA2, step));
            return value - learningRate * firstCorrected / (Math.sqrt(secondCorrected) + epsilon);
        }
    }

    public SacConfig config() {
        return config;
    }

    public Box actionSpace() {
        return actionSpace;
    }

    public int observationSize() {
        return observationSize;
    }

    /** Floats per action. */
    public int actionSize() {
        return actionSize;
    }

    public RunRandomness random() {
        return random;
    }

    /** The entropy coefficient alpha now. */
    public double alpha() {
        return Math.exp(logAlpha);
    }

    public long gradientSteps() {
        return gradientSteps;
    }

    /** Smoothed critic loss of recent updates, NaN before the first. */
    public double recentLoss() {
        return recentLoss;
    }

    public int replaySize() {
        return replay.size();
    }

    TrainableNetwork actor() {
        return actor;
    }

    /** gSDE's log standard deviations; null without gSDE. */
    AdamVector logStd() {
        return logStd;
    }

    TrainableNetwork critic1() {
        return critic1;
    }

    TrainableNetwork critic2() {
        return critic2;
    }

    /**
     * Frees the networks' native memory now (ND4J backend; the JVM's arrays wait for the garbage
     * collector). The agent cannot be used afterwards.
     */
    @Override
    public void close() {
        networks().forEach(TrainableNetwork::close);
    }

    /** Every network the agent holds: actor, critics, target critics. */
    List<TrainableNetwork> networks() {
        return List.of(actor, critic1, critic2, target1, target2);
    }

    /** Everything learned or drawn so far, for a checkpoint. */
    public State state() {
        List<float[]> parameters = new ArrayList<>(networks().stream().map(TrainableNetwork::parameters).toList());
        List<Adam> adam = new ArrayList<>(List.of(Adam.of(actor), Adam.of(critic1), Adam.of(critic2)));
        if (logStd != null) {
            parameters.add(logStd.values().clone());
            adam.add(new Adam(logStd.adamStep(), logStd.firstMoments(), logStd.secondMoments()));
        }
        return new State(parameters, adam, logAlpha, alphaOptimizer.step, alphaOptimizer.firstMoment,
                alphaOptimizer.secondMoment, replay.contents(), random.states(), gradientSteps, recentLoss,
                actingNoiseDrawn ? actingNoise.clone() : null);
    }

    /** Parameter vectors of a state: actor, two critics, two targets, and gSDE's log std when on. */
    public static int parameterVectors(SacConfig config) {
        return config.sde().enabled() ? 6 : 5;
    }

    /** Adam states of a state: actor, two critics, and gSDE's log std when on. */
    public static int adamStates(SacConfig config) {
        return config.sde().enabled() ? 4 : 3;
    }

    /** An agent continuing exactly from a saved state. */
    public static SacAgent restore(SacConfig config, int observationSize, Box actionSpace, State state) {
        requireBoundedFloatBox(actionSpace);
        int vectors = parameterVectors(config);
        int adamStates = adamStates(config);
        if (state.parameters().size() != vectors || state.adam().size() != adamStates) {
            throw new IllegalArgumentException("a SAC state " + (config.sde().enabled() ? "with" : "without")
                    + " gSDE has " + vectors + " parameter vectors and " + adamStates + " Adam states, got "
                    + state.parameters().size() + " and " + state.adam().size());
        }
        SacAgent agent = new SacAgent(config, observationSize, actionSpace,
                RunRandomness.fromStates(state.randomStates()), state.parameters().get(0),
                state.parameters().get(1), state.parameters().get(2),
                config.sde().enabled() ? state.parameters().get(5) : null);
        agent.target1.setParameters(state.parameters().get(3));
        agent.target2.setParameters(state.parameters().get(4));
        List<TrainableNetwork> trained = List.of(agent.actor, agent.critic1, agent.critic2);
        for (int k = 0; k < 3; k++) {
            Adam adam = state.adam().get(k);
            trained.get(k).setAdamState(adam.step(), adam.firstMoment(), adam.secondMoment());
        }
        if (agent.logStd != null) {
            Adam adam = state.adam().get(3);
            agent.logStd.restore(state.parameters().get(5), adam.step(), adam.firstMoment(), adam.secondMoment());
            if (state.actingNoise() != null) {
                if (state.actingNoise().length != agent.actingNoise.length) {
                    throw new IllegalArgumentException("gSDE acting noise has " + state.actingNoise().length
                            + " values, the agent needs " + agent.actingNoise.length);
                }
                System.arraycopy(state.actingNoise(), 0, agent.actingNoise, 0, agent.actingNoise.length);
                agent.actingNoiseDrawn = true;
            }
        }
        agent.logAlpha = state.logAlpha();
        agent.alphaOptimizer.step = state.alphaAdamStep();
        agent.alphaOptimizer.firstMoment = state.alphaFirstMoment();
        agent.alphaOptimizer.secondMoment = state.alphaSecondMoment();
        agent.replay.restore(state.replay());
        agent.gradientSteps = state.gradientSteps();
        agent.recentLoss = state.recentLoss();
        return agent;
    }

    /**
     * Adam's state of one network.
     *
     * @param step updates taken
     * @param firstMoment running mean of gradients, flat layout
     * @param secondMoment running mean of squared gradients, flat layout
     */
    public record Adam(long step, float[] firstMoment, float[] secondMoment) {
        static Adam of(TrainableNetwork network) {
            return new Adam(network.adamStep(), network.firstMoments(), network.secondMoments());
        }
    }

    /**
     * An agent's full state.
     *
     * @param parameters actor, critic 1, critic 2, target critic 1, target critic 2 (flat layouts), and
     *     with gSDE its log standard deviations
     * @param adam Adam's state of actor, critic 1 and critic 2, and with gSDE of the log standard deviations
     * @param logAlpha log of the entropy coefficient
     * @param alphaAdamStep Adam steps taken on logAlpha
     * @param alphaFirstMoment Adam's first moment of logAlpha
     * @param alphaSecondMoment Adam's second moment of logAlpha
     * @param replay replay ring
     * @param randomStates generator states of {@link RunRandomness}
     * @param gradientSteps gradient steps taken
     * @param recentLoss smoothed critic loss
     * @param actingNoise gSDE's noise matrices of the env copies while acting; null when none was drawn yet
     */
    public record State(List<float[]> parameters, List<Adam> adam, double logAlpha, long alphaAdamStep,
            double alphaFirstMoment, double alphaSecondMoment, SacReplayBuffer.Contents replay, long[] randomStates,
            long gradientSteps, double recentLoss, float[] actingNoise) {}

    @Override
    public String toString() {
        return "SacAgent[" + config.summary() + ", actions " + actionSpace + ", alpha " + alpha() + ", steps "
                + gradientSteps + "]";
    }
}
