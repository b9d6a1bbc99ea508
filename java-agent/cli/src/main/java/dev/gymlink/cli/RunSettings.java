package dev.gymlink.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.TunedHyperparameters;
import dev.gymlink.agent.sac.SacConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Everything {@code gymlink train} resolved from its flags and defaults, as written to the run's
 * {@code config.json}; {@code eval}, {@code play} and {@code --resume} read it back.
 *
 * @param gymlinkVersion version of gymlink that trained
 * @param commandLine the arguments given to {@code gymlink train}
 * @param envId env trained on
 * @param envKwargs keyword arguments the env was made with ({@code gymnasium.make})
 * @param maxEpisodeSteps time limit replacing the registered one, or null for the registered one
 * @param envBackend {@code local} or {@code remote}
 * @param servers env servers of a remote run, as given; empty for a local run
 * @param startedAt local time the run started, ISO-8601
 * @param dqn the DQN agent's complete config; null for a SAC run
 * @param sac the SAC agent's complete config; null (and not written) for a DQN run
 */
record RunSettings(
        String gymlinkVersion,
        List<String> commandLine,
        String envId,
        Map<String, Object> envKwargs,
        Integer maxEpisodeSteps,
        String envBackend,
        List<String> servers,
        String startedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) DqnConfig dqn,
        @JsonInclude(JsonInclude.Include.NON_NULL) SacConfig sac) {

    RunSettings {
        commandLine = List.copyOf(commandLine);
        envKwargs = envKwargs == null ? Map.of() : new LinkedHashMap<>(envKwargs);
        servers = List.copyOf(servers);
    }

    static RunSettings of(String gymlinkVersion, List<String> commandLine, String envId, TunedHyperparameters.EnvSettings env,
            String envBackend, List<String> servers, String startedAt, DqnConfig dqn) {
        return of(gymlinkVersion, commandLine, envId, env, envBackend, servers, startedAt, dqn, null);
    }

    /** The settings of a SAC run. */
    static RunSettings ofSac(String gymlinkVersion, List<String> commandLine, String envId,
            TunedHyperparameters.EnvSettings env, String envBackend, List<String> servers, String startedAt,
            SacConfig sac) {
        return of(gymlinkVersion, commandLine, envId, env, envBackend, servers, startedAt, null, sac);
    }

    private static RunSettings of(String gymlinkVersion, List<String> commandLine, String envId,
            TunedHyperparameters.EnvSettings env, String envBackend, List<String> servers, String startedAt,
            DqnConfig dqn, SacConfig sac) {
        return new RunSettings(gymlinkVersion, commandLine, envId, env.kwargs(),
                env.maxEpisodeSteps().isPresent() ? env.maxEpisodeSteps().getAsInt() : null, envBackend, servers,
                startedAt, dqn, sac);
    }

    /** How the env is made besides its id. */
    TunedHyperparameters.EnvSettings envSettings() {
        return new TunedHyperparameters.EnvSettings(envKwargs,
                maxEpisodeSteps == null ? OptionalInt.empty() : OptionalInt.of(maxEpisodeSteps));
    }

    /**
     * What {@code train --config FILE} takes from a file shaped like config.json, every part optional:
     * the env id, how the env is made (present when the file has {@code envKwargs} or
     * {@code maxEpisodeSteps}), and the {@code dqn} or {@code sac} object, whole or in part. The other
     * fields (who trained, when, where) describe a past run and are ignored.
     *
     * @param envId the file's env id, or null
     * @param envSettings the file's env kwargs and time limit, or null
     * @param dqn the file's DQN config object, or null
     * @param sac the file's SAC config object, or null (never both)
     */
    record Template(String envId, TunedHyperparameters.EnvSettings envSettings, JsonNode dqn, JsonNode sac) {}
}
