package dev.gymlink.examples;

import dev.gymlink.env.Env;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.remote.GymClient;
import java.util.Locale;
import java.util.Random;

/**
 * Plays 10 CartPole-v1 episodes on the env server given as the first argument ({@code HOST:PORT}),
 * each action a uniform draw from the action space, and prints the mean return in one line.
 */
public final class RandomAgent {

    private static final int EPISODES = 10;

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RandomAgent HOST:PORT");
            System.exit(2);
        }
        Random random = new Random(0);
        double total = 0;
        try (GymClient gym = GymClient.connect(args[0]);
                Env env = gym.make("CartPole-v1")) {
            for (int episode = 0; episode < EPISODES; episode++) {
                env.reset(episode);
                StepResult step;
                do {
                    step = env.step(env.actionSpace().sample(random));
                    total += step.reward();
                } while (!step.done());
            }
        }
        System.out.println(String.format(Locale.ROOT, "mean return %.1f over %d episodes", total / EPISODES, EPISODES));
    }
}
