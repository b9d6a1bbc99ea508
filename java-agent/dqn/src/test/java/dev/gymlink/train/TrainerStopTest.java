package dev.gymlink.train;

import dev.gymlink.agent.mlp.NetworkBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.train.listeners.CheckpointListener;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.cartpole.CartPole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop request (what Ctrl-C sends) ends training like the budget does, final checkpoint included. */
class TrainerStopTest {

    private static final long STOP_AT_STEP = 1_200;

    @Test
    void stopRequestEndsAfterTheCurrentStepAndTheFinalCheckpointIsWritten(@TempDir Path runDir) throws Exception {
        DqnConfig config = DqnConfig.defaults().toBuilder().seed(7).totalSteps(50_000).numEnvs(4)
                .backend(NetworkBackend.JAVA).build();
        try (SyncVectorEnv env = SyncVectorEnv.create(4, i -> new CartPole());
                DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            TrainingListener stopper = new TrainingListener() {
                @Override
                public void afterStep(Trainer trainer) {
                    if (trainer.envSteps() >= STOP_AT_STEP) {
                        trainer.requestStop();
                    }
                }
            };
            CheckpointListener checkpoints = new CheckpointListener(runDir,
                    RunProvenance.of(env.spec(), config, NetworkBackend.JAVA, Map.of(), Optional.empty()), 100_000, 2);
            Trainer trainer = new Trainer(agent, env, Optional.empty(), List.of(stopper, checkpoints));

            TrainingListener.TrainingEnd end = trainer.train();

            assertTrue(trainer.stopRequested());
            assertEquals(STOP_AT_STEP, end.envSteps(), "stops right after the step that asked");
            assertFalse(end.solved());
            Path latest = Checkpoints.latest(runDir).orElseThrow(() -> new AssertionError("no final checkpoint"));
            assertEquals(STOP_AT_STEP, Checkpoints.read(latest).progress().envSteps());
        }
    }
}
