package dev.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.run.SolveCriterion;
import dev.gymlink.agent.sac.SacAgent;
import dev.gymlink.agent.sac.SacConfig;
import dev.gymlink.agent.sac.SacPresets;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.pendulum.Pendulum;
import dev.gymlink.env.remote.EnvOptions;
import dev.gymlink.env.remote.RemoteVectorEnv;
import dev.gymlink.testkit.SharedServerChannel;
import dev.gymlink.train.sac.SacTrainable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SAC trained on the Java Pendulum and on Gymnasium's behind a real server, same seed: every
 * episode return and every greedy evaluation is the same. Observations agree bit for bit and the
 * agent draws nothing from the env, so the runs are the same run; a return may differ in its tenth
 * digit where Gymnasium's pow rounds a reward's square differently (Pendulum's javadoc).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SacLocalRemoteTest {

    @RegisterExtension
    static final SharedServerChannel server = new SharedServerChannel();

    @Test
    void localAndRemoteRunsOfTheSameSeedAreIdentical() throws Exception {
        SacConfig config = SacPresets.bundled().config(Pendulum.ID).toBuilder().totalSteps(1_200).numEnvs(2)
                .batchSize(32).solve(new SolveCriterion(-200, 2, 600, false)).seed(5).build();
        List<Double> local;
        try (VectorEnv env = SyncVectorEnv.create(2, i -> new Pendulum());
                VectorEnv evalEnv = SyncVectorEnv.create(2, i -> new Pendulum())) {
            local = train(config, env, evalEnv);
        }
        List<Double> remote;
        EnvOptions options = EnvOptions.of(Pendulum.ID);
        try (VectorEnv env = RemoteVectorEnv.connect(server.channel(), options, 2);
                VectorEnv evalEnv = RemoteVectorEnv.connect(server.channel(), options, 2)) {
            remote = train(config, env, evalEnv);
        }
        assertEquals(6 + 2, local.size(), "six episodes and two evaluations: " + local);
        assertTrue(local.stream().distinct().count() > 4, "returns should differ: " + local);
        assertEquals(local.size(), remote.size(), remote::toString);
        for (int k = 0; k < local.size(); k++) {
            assertEquals(local.get(k), remote.get(k), 1e-6, "entry " + k + " of " + local + " vs " + remote);
        }
    }

    /** Episode returns, then evaluation means, in the order they happened. */
    private static List<Double> train(SacConfig config, VectorEnv env, VectorEnv evalEnv) throws Exception {
        List<Double> returns = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onEpisodeEnd(EpisodeEnd episode) {
                returns.add(episode.episodeReturn());
            }

            @Override
            public void onEvaluation(EvaluationEnd evaluation) {
                returns.add(evaluation.meanReturn());
            }
        };
        SacAgent agent = SacAgent.create(config, 3, new Pendulum().actionSpace());
        new Trainer(new SacTrainable(agent), env, Optional.of(evalEnv), List.of(record)).train();
        return returns;
    }
}
