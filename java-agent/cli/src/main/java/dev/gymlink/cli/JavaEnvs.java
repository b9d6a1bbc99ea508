package dev.gymlink.cli;

import dev.gymlink.env.Env;
import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.env.pendulum.Pendulum;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;

/** The envs with a Java port, which {@code --env-backend local} runs in-process. */
final class JavaEnvs {

    /** Each port made with an optional time limit replacing the registered one. */
    private static final Map<String, Function<OptionalInt, Env>> PORTS = new TreeMap<>(Map.of(
            CartPole.ID, limit -> limit.isPresent() ? CartPole.withMaxEpisodeSteps(limit.getAsInt()) : new CartPole(),
            Pendulum.ID, limit -> limit.isPresent() ? new Pendulum(limit.getAsInt()) : new Pendulum()));

    private JavaEnvs() {}

    static boolean has(String envId) {
        return PORTS.containsKey(envId);
    }

    /** A new copy of the env, with its registered time limit or {@code maxEpisodeSteps}. */
    static Env make(String envId, OptionalInt maxEpisodeSteps) {
        Function<OptionalInt, Env> port = PORTS.get(envId);
        if (port == null) {
            throw noJavaPort(envId);
        }
        return port.apply(maxEpisodeSteps);
    }

    /** The error for asking to run an env without a Java port locally, naming the envs that have one. */
    static CliException noJavaPort(String envId) {
        return new CliException(envId + " has no Java port, so it cannot run with --env-backend local; the envs that"
                + " can: " + ids() + ". Run it on a gymlink env server instead: --env-backend remote --server HOST:PORT");
    }

    static String ids() {
        return String.join(", ", PORTS.keySet());
    }
}
