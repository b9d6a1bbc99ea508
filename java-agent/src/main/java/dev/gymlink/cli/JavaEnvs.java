package dev.gymlink.cli;

import dev.gymlink.env.Env;
import dev.gymlink.env.cartpole.CartPole;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The envs with a Java port, which {@code --env-backend local} runs in-process. */
final class JavaEnvs {

    private static final Map<String, Supplier<Env>> PORTS = new TreeMap<>(Map.of(CartPole.ID, CartPole::new));

    private JavaEnvs() {}

    static boolean has(String envId) {
        return PORTS.containsKey(envId);
    }

    /** A new copy of the env. */
    static Env make(String envId) {
        Supplier<Env> port = PORTS.get(envId);
        if (port == null) {
            throw noJavaPort(envId);
        }
        return port.get();
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
