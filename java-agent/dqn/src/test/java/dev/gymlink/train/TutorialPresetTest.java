package dev.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.SyncVectorEnv;
import dev.gymlink.env.cartpole.CartPole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tutorial preset end to end on the local CartPole: its full 1,000 episodes. */
class TutorialPresetTest {

    @Test
    void tutorialRunsItsThousandEpisodesWithItsOwnSchedule() throws Exception {
        DqnConfig config = DqnConfig.tutorial().withSeed(1);
        List<TrainingListener.EpisodeEnd> episodes = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpisodeEnd(EpisodeEnd episode) {
                episodes.add(episode);
            }
        };
        try (SyncVectorEnv env = SyncVectorEnv.create(1, i -> new CartPole());
                DqnAgent agent = DqnAgent.create(config, 4, 2)) {
            Trainer trainer = new Trainer(agent, env, Optional.of(new CartPole()), List.of(recorder));
            TrainingListener.TrainingEnd end = trainer.train();

            assertEquals(1_000, end.episodes(), "the tutorial's episode budget");
            assertEquals(1_000, episodes.size());
            assertEquals(2_000, agent.replayBuffer().size(), "memory holds the latest 2,000 transitions");
            // One replay per episode once memory holds 32 transitions, 32 single-sample fits each.
            assertTrue(agent.replays() >= 995 && agent.replays() <= 999, "replays " + agent.replays());
            assertEquals(32 * agent.replays(), agent.gradientSteps());
            assertEquals(Math.pow(0.995, 919), trainer.exploration(), 1e-12, "epsilon floored just below 0.01");

            double firstHundred = episodes.subList(0, 100).stream().mapToDouble(TrainingListener.EpisodeEnd::episodeReturn).average()
                    .orElseThrow();
            // Measured for this seed: about 20 in the first 100 episodes (near random), about 320 in the last 100.
            assertTrue(firstHundred < 60, "early episodes are near random: " + firstHundred);
            assertTrue(end.meanReturn100() > 3 * firstHundred,
                    "the tutorial learns something: last 100 mean " + end.meanReturn100() + " vs first " + firstHundred);
        }
    }
}
