package dev.gymlink.examples;

// README:begin (README.md "Use gymlink from Java" shows this file from here on; ReadmeExampleTest keeps them equal)
import dev.gymlink.env.Env;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.remote.GymClient;

/** Plays one CartPole-v1 episode on an env server, pushing the cart the way the pole leans. */
public class LeaningPole {

    public static void main(String[] args) {
        System.out.println("return " + play(args.length > 0 ? args[0] : "localhost:50051"));
    }

    static double play(String server) {
        try (GymClient gym = GymClient.connect(server);
                Env env = gym.make("CartPole-v1")) {
            float[] observation = env.reset(42).floatObservation(); // CartPole: a Box of 4 floats
            double episodeReturn = 0;
            StepResult step;
            do {
                int action = observation[2] > 0 ? 1 : 0; // pole angle > 0: push right (Discrete(2))
                step = env.step(action);
                observation = step.floatObservation();
                episodeReturn += step.reward();
            } while (!step.done());
            return episodeReturn;
        }
    }
}
