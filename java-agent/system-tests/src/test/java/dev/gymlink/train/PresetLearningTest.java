package dev.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnCompatibility;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.testkit.SharedServerChannel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * A bundled preset, env settings included, learns its env on the real server: the deterministic
 * FrozenLake (the preset's {@code is_slippery=false}) is solved, every greedy episode reaching the
 * goal. It takes 2,000-3,000 env steps (a few seconds) for seeds 1-3.
 */
class PresetLearningTest {

    private static final String ENV_ID = "FrozenLake-v1";

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Test
    @Timeout(120)
    void frozenLakePresetReachesTheGoalEveryTime() throws Exception {
        TunedHyperparameters presets = TunedHyperparameters.bundled();
        DqnConfig config = presets.config(ENV_ID).withSeed(1);
        TunedHyperparameters.EnvSettings settings = presets.envSettings(ENV_ID);
        EnvOptions options = EnvOptions.of(ENV_ID).withKwargs(settings.kwargs());
        try (RemoteVectorEnv env = RemoteVectorEnv.connect(server.channel(), options, config.numEnvs());
                RemoteEnv evalEnv = RemoteEnv.connect(server.channel(), options)) {
            DqnCompatibility.require(ENV_ID, env.singleObservationSpace(), env.singleActionSpace());
            try (DqnAgent agent = DqnAgent.create(config, env.singleObservationSpace().flatDim(),
                    (int) ((Discrete) env.singleActionSpace()).n())) {
                TrainingListener.TrainingEnd end = new Trainer(agent, env, Optional.of(evalEnv), List.of()).train();

                assertTrue(end.solved(), "not solved within " + end.envSteps() + " steps");
                Evaluation.Result greedy = Evaluation.evaluate(agent, evalEnv, 20, 500);
                // Reward is 1 only on reaching the goal, so the mean return is the success rate.
                assertEquals(1.0, greedy.mean(), "greedy success rate");
            }
        }
    }
}
