package dev.gymlink.train;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteEnv;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.testkit.SharedServerChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Against a real Gymnasium server: an evaluation's episodes played side by side on one vector
 * session give exactly the returns of playing them one after the other on a single-env session
 * (which EvaluationTest holds to gymlink's original sequential loop).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RemoteEvaluationTest {

    private static final int EPISODES = 20;
    private static final long SEED = 31_337;

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Test
    void sideBySideOnAVectorSessionGivesTheReturnsOfOneEpisodeAfterTheOther() throws EnvException {
        DqnConfig config = DqnConfig.defaults().toBuilder().seed(3).totalSteps(6_000)
                .backend(NetworkBackend.JAVA).build();
        EnvOptions options = EnvOptions.of("CartPole-v1");
        try (DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            try (SyncVectorEnv env = SyncVectorEnv.create(config.numEnvs(), i -> new CartPole())) {
                new Trainer(agent, env, Optional.empty(), List.of()).train();
            }
            double[] expected;
            try (RemoteEnv env = RemoteEnv.connect(server.channel(), options)) {
                expected = Evaluation.evaluate(agent, env, EPISODES, SEED).returns();
            }
            assertTrue(Arrays.stream(expected).distinct().count() > 3, "returns should differ: "
                    + Arrays.toString(expected));
            for (int copies : new int[] {EPISODES, 8}) {
                try (RemoteVectorEnv env = RemoteVectorEnv.connect(server.channel(), options, copies)) {
                    assertArrayEquals(expected, Evaluation.evaluate(agent, env, EPISODES, SEED).returns(),
                            copies + " copies");
                }
            }
        }
    }
}
