package dev.gymlink.agent.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.mlp.TrainableNetwork;
import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * SAC's own backward paths against finite differences (the actor's loss through the squashed
 * Gaussian and the lower critic, the critics' loss), its log-probabilities against the density they
 * stand for, and action scaling and refusal.
 */
class SacAgentTest {

    private static final int OBSERVATIONS = 3;
    private static final int BATCH = 7;
    private static final Box TWO_TORQUES = new Box(new int[] {2}, DType.FLOAT32, new double[] {-2, 0},
            new double[] {2, 1});

    private static SacAgent agent(long seed) {
        SacConfig config = SacConfig.defaults().toBuilder().hiddenSizes(List.of(8, 6)).batchSize(BATCH)
                .seed(seed).build();
        return SacAgent.create(config, OBSERVATIONS, TWO_TORQUES);
    }

    private static float[] gaussian(SplittableRandom rng, int count) {
        float[] values = new float[count];
        for (int k = 0; k < count; k++) {
            values[k] = (float) rng.nextGaussian();
        }
        return values;
    }

    @Test
    void actorGradientMatchesFiniteDifferencesThroughTheSquashAndTheLowerCritic() {
        SacAgent agent = agent(3);
        SplittableRandom rng = new SplittableRandom(3);
        float[] observations = gaussian(rng, BATCH * OBSERVATIONS);
        float[] noise = gaussian(rng, BATCH * 2);
        double alpha = 0.4;
        TrainableNetwork actor = agent.actor();
        agent.actorLoss(observations, BATCH, noise, alpha);
        float[] analytic = actor.gradients();
        float[] parameters = actor.parameters();
        checkAgainstFiniteDifferences(analytic, parameters, actor,
                () -> agent.actorLoss(observations, BATCH, noise, alpha));
    }

    @Test
    void criticGradientMatchesFiniteDifferences() {
        SacAgent agent = agent(5);
        SplittableRandom rng = new SplittableRandom(5);
        float[] observations = gaussian(rng, BATCH * OBSERVATIONS);
        float[] actions = new float[BATCH * 2];
        for (int k = 0; k < actions.length; k++) {
            actions[k] = (float) rng.nextDouble(-1, 1);
        }
        float[] targets = gaussian(rng, BATCH);
        TrainableNetwork critic = agent.critic2();
        agent.criticLoss(critic, observations, actions, targets, BATCH);
        checkAgainstFiniteDifferences(critic.gradients(), critic.parameters(), critic,
                () -> agent.criticLoss(critic, observations, actions, targets, BATCH));
    }

    private static void checkAgainstFiniteDifferences(float[] analytic, float[] parameters, TrainableNetwork network,
            DoubleSupplier loss) {
        float h = 1e-3f;
        int nonZero = 0;
        for (int p = 0; p < parameters.length; p++) {
            float[] plus = parameters.clone();
            plus[p] += h;
            network.setParameters(plus);
            double lossPlus = loss.getAsDouble();
            float[] minus = parameters.clone();
            minus[p] -= h;
            network.setParameters(minus);
            double lossMinus = loss.getAsDouble();
            double numeric = (lossPlus - lossMinus) / (2 * h);
            assertEquals(numeric, analytic[p], 2e-3 + 2e-2 * Math.abs(numeric), "parameter " + p);
            nonZero += analytic[p] != 0 ? 1 : 0;
        }
        network.setParameters(parameters);
        assertTrue(nonZero > parameters.length / 2, "most gradients should be non-zero, got " + nonZero);
    }

    @Test
    void logProbabilityIsTheDensityOfTheSquashedGaussian() {
        SacAgent agent = agent(7);
        SplittableRandom rng = new SplittableRandom(7);
        float[] observations = gaussian(rng, BATCH * OBSERVATIONS);
        float[] noise = gaussian(rng, BATCH * 2);
        SacAgent.Sample sample = agent.sampleActions(observations, BATCH, noise);
        float[][] out = agent.actor().forward(observations, BATCH);
        for (int b = 0; b < BATCH; b++) {
            double expected = 0;
            for (int i = 0; i < 2; i++) {
                double mean = out[b][i];
                double std = Math.exp(out[b][2 + i]);
                expected += squashedGaussianLogDensity(sample.actions[b * 2 + i], mean, std);
            }
            assertEquals(expected, sample.logProbs[b], 1e-3 * Math.max(1, Math.abs(expected)), "row " + b);
        }
    }

    /** log p(a) for a = tanh(u), u ~ N(mean, std^2): by change of variables p(a) = p(u) / (1 - a^2). */
    private static double squashedGaussianLogDensity(double a, double mean, double std) {
        double u = 0.5 * Math.log((1 + a) / (1 - a));
        double gaussian = Math.exp(-0.5 * Math.pow((u - mean) / std, 2)) / (std * Math.sqrt(2 * Math.PI));
        return Math.log(gaussian / (1 - a * a));
    }

    @Test
    void actionsAreScaledOntoTheBoxAndNeverLeaveIt() {
        SacAgent agent = agent(1);
        Tensor low = agent.envAction(new float[] {-1, -1}, 0);
        Tensor high = agent.envAction(new float[] {0, 1, 1}, 1);
        Tensor middle = agent.envAction(new float[] {0, 0}, 0);
        assertArrayEquals(new double[] {-2, 0}, low.data());
        assertArrayEquals(new double[] {2, 1}, high.data());
        assertArrayEquals(new double[] {0, 0.5}, middle.data());
        assertEquals(DType.FLOAT32, middle.dtype());
        assertTrue(TWO_TORQUES.contains(middle));
        SplittableRandom rng = new SplittableRandom(2);
        for (int k = 0; k < 1_000; k++) {
            float[] unit = {(float) rng.nextDouble(-1, 1), (float) rng.nextDouble(-1, 1)};
            Tensor action = agent.envAction(unit, 0);
            assertTrue(TWO_TORQUES.contains(action), action::toString);
        }
    }

    @Test
    void unboundedAndIntegerBoxesAreRefusedNamingTheBounds() {
        Box halfOpen = new Box(new int[] {2}, DType.FLOAT32, new double[] {-1, 0},
                new double[] {1, Double.POSITIVE_INFINITY});
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SacAgent.create(SacConfig.defaults(), 3, halfOpen));
        assertTrue(error.getMessage().contains("element 1"), error.getMessage());
        assertTrue(error.getMessage().contains("high Infinity"), error.getMessage());
        assertTrue(error.getMessage().contains("finite bounds"), error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SacAgent.create(SacConfig.defaults(), 3, Box.uniform(0, 3, new int[] {1}, DType.INT64)));
    }

    @Test
    void explorationIsUniformBeforeLearningStartsAndFromTheActorAfter() {
        SacAgent agent = agent(11);
        float[] observations = new float[OBSERVATIONS];
        float[] actions = new float[2];
        double min = 1;
        double max = -1;
        for (int k = 0; k < 2_000; k++) {
            agent.explore(observations, 1, 0, actions);
            min = Math.min(min, actions[0]);
            max = Math.max(max, actions[0]);
        }
        assertTrue(min < -0.99 && max > 0.99, "uniform draws cover [-1, 1], got " + min + ".." + max);
        // From the actor: E[tanh(mean + std * N(0, 1))^2] for the actor's mean and std at this observation.
        float[] out = agent.actor().forward(observations, 1)[0].clone();
        double mean = out[0];
        double std = Math.exp(out[2]);
        SplittableRandom rng = new SplittableRandom(4);
        double expected = 0;
        for (int k = 0; k < 20_000; k++) {
            expected += Math.pow(Math.tanh(mean + std * rng.nextGaussian()), 2) / 20_000;
        }
        double sum = 0;
        for (int k = 0; k < 4_000; k++) {
            agent.explore(observations, 1, agent.config().learningStarts(), actions);
            sum += actions[0] * actions[0];
        }
        assertEquals(expected, sum / 4_000, 0.03);
    }

    @Test
    void gradientStepsFollowTheTrainFrequencyAfterLearningStarts() {
        SacConfig config = SacConfig.defaults().toBuilder().learningStarts(100).trainFrequency(4).gradientSteps(2)
                .build();
        SacAgent agent = SacAgent.create(config, 3, TWO_TORQUES);
        assertEquals(0, agent.gradientStepsDue(96, 100));
        assertEquals(0, agent.gradientStepsDue(100, 103));
        assertEquals(2, agent.gradientStepsDue(103, 104));
        assertEquals(4, agent.gradientStepsDue(100, 108));
    }

    private static SacAgent sdeAgent(long seed, int trainFrequency) {
        SacConfig config = SacConfig.defaults().toBuilder().hiddenSizes(List.of(8, 6)).batchSize(BATCH)
                .learningStarts(0).trainFrequency(trainFrequency).sde(SacConfig.StateDependentNoise.on(-1, -1))
                .seed(seed).build();
        return SacAgent.create(config, OBSERVATIONS, TWO_TORQUES);
    }

    /** gSDE's noise matrix {@code exp(logStd) * eps} for the current log std. */
    private static float[] noiseMatrix(SacAgent agent, float[] eps) {
        float[] logStd = agent.logStd().values();
        float[] matrix = new float[eps.length];
        for (int k = 0; k < eps.length; k++) {
            matrix[k] = (float) (Math.exp(logStd[k]) * eps[k]);
        }
        return matrix;
    }

    @Test
    void sdeActorGradientMatchesFiniteDifferencesForTheNetworkAndTheLogStd() {
        SacAgent agent = sdeAgent(13, 1);
        SplittableRandom rng = new SplittableRandom(13);
        float[] observations = gaussian(rng, BATCH * OBSERVATIONS);
        float[] eps = gaussian(rng, 6 * 2);
        // Wide enough noise that the log-density and squash terms both matter.
        float[] logStd = agent.logStd().values();
        for (int k = 0; k < logStd.length; k++) {
            logStd[k] = (float) rng.nextDouble(-1.5, 0.5);
        }
        double alpha = 0.3;
        TrainableNetwork actor = agent.actor();
        agent.actorLoss(observations, BATCH, noiseMatrix(agent, eps), alpha);
        float[] analyticNetwork = actor.gradients();
        float[] analyticLogStd = agent.logStd().gradients().clone();
        // The features take no gradient through the noise (SB3's learn_features=False), so the loss's
        // true derivative matches only where the features do not move: the output layer's weights and
        // biases, the last 7 * 2 parameters. Backprop below it is DenseNetwork's, checked on its own.
        float[] parameters = actor.parameters();
        float h = 1e-3f;
        int outputNonZero = 0;
        for (int p = parameters.length - 7 * 2; p < parameters.length; p++) {
            float[] moved = parameters.clone();
            moved[p] += h;
            actor.setParameters(moved);
            double plus = agent.actorLoss(observations, BATCH, noiseMatrix(agent, eps), alpha);
            moved[p] -= 2 * h;
            actor.setParameters(moved);
            double minus = agent.actorLoss(observations, BATCH, noiseMatrix(agent, eps), alpha);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analyticNetwork[p], 2e-3 + 2e-2 * Math.abs(numeric), "output parameter " + p);
            outputNonZero += analyticNetwork[p] != 0 ? 1 : 0;
        }
        actor.setParameters(parameters);
        assertTrue(outputNonZero > 7, "most output parameters have a gradient (a dead feature's have none), got "
                + outputNonZero);

        int nonZero = 0;
        for (int k = 0; k < logStd.length; k++) {
            float saved = logStd[k];
            logStd[k] = saved + h;
            double plus = agent.actorLoss(observations, BATCH, noiseMatrix(agent, eps), alpha);
            logStd[k] = saved - h;
            double minus = agent.actorLoss(observations, BATCH, noiseMatrix(agent, eps), alpha);
            logStd[k] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analyticLogStd[k], 2e-3 + 2e-2 * Math.abs(numeric), "log std " + k);
            nonZero += analyticLogStd[k] != 0 ? 1 : 0;
        }
        assertTrue(nonZero > logStd.length / 2, "most log std gradients should be non-zero, got " + nonZero);
    }

    @Test
    void sdeLogProbabilityIsTheDensityOfTheSquashedStateDependentGaussian() {
        SacAgent agent = sdeAgent(17, 1);
        SplittableRandom rng = new SplittableRandom(17);
        float[] observations = gaussian(rng, BATCH * OBSERVATIONS);
        float[] matrix = noiseMatrix(agent, gaussian(rng, 6 * 2));
        SacAgent.Sample sample = agent.sampleStateDependent(observations, BATCH, matrix, false);
        float[][] out = agent.actor().forward(observations, BATCH);
        float[][] latent = agent.actor().lastHiddenActivations();
        float[] logStd = agent.logStd().values();
        for (int b = 0; b < BATCH; b++) {
            double expected = 0;
            for (int i = 0; i < 2; i++) {
                double variance = 1e-6;
                for (int j = 0; j < 6; j++) {
                    variance += Math.pow(latent[b][j] * Math.exp(logStd[j * 2 + i]), 2);
                }
                double std = Math.sqrt(variance);
                double mean = Math.max(-2, Math.min(2, out[b][i]));
                expected += squashedGaussianLogDensity(sample.actions[b * 2 + i], mean, std);
            }
            assertEquals(expected, sample.logProbs[b], 1e-3 * Math.max(1, Math.abs(expected)), "row " + b);
        }
    }

    @Test
    void sdeHoldsItsNoiseForARoundOfTrainFrequencyStepsAndDrawsAfresh() {
        SacAgent agent = sdeAgent(19, 8);
        float[] observation = {0.2f, -0.4f, 0.7f};
        float[] first = new float[2];
        float[] again = new float[2];
        agent.explore(observation, 1, 0, first);
        for (long step = 1; step < 8; step++) {
            agent.explore(observation, 1, step, again);
            assertArrayEquals(first, again, "step " + step + " acts on the same noise");
        }
        agent.explore(observation, 1, 8, again);
        assertTrue(first[0] != again[0] && first[1] != again[1], "a new round draws new noise");
        float[] greedy = new float[2];
        agent.greedy(observation, 1, greedy);
        assertTrue(greedy[0] != again[0], "the noise moves the action off the greedy one");
    }

    @Test
    void sdeActsPerCopyAndOnlyMeansComeOutOfTheActor() {
        SacConfig config = SacConfig.defaults().toBuilder().hiddenSizes(List.of(8, 6)).numEnvs(2).learningStarts(0)
                .trainFrequency(4).sde(SacConfig.StateDependentNoise.on(-1, 2)).seed(23).build();
        SacAgent agent = SacAgent.create(config, OBSERVATIONS, TWO_TORQUES);
        assertEquals(2, agent.actor().outputs(), "gSDE's actor outputs the means only");
        assertEquals(6 * 2, agent.logStd().size());
        float[] sameObservationTwice = {0.1f, 0.2f, 0.3f, 0.1f, 0.2f, 0.3f};
        float[] actions = new float[4];
        agent.explore(sameObservationTwice, 2, 0, actions);
        assertTrue(actions[0] != actions[2], "each copy has its own noise matrix");
        float[] held = actions.clone();
        agent.explore(sameObservationTwice, 2, 2, actions);
        assertArrayEquals(held, actions, "sampleFrequency 2: held for 2 vector steps");
        agent.explore(sameObservationTwice, 2, 4, actions);
        assertTrue(held[0] != actions[0], "drawn afresh after 2 vector steps");
    }
}
