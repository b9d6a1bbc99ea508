package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnConfig;
import java.util.List;

/**
 * Everything {@code gymlink train} resolved from its flags and defaults, as written to the run's
 * {@code config.json}.
 *
 * @param gymlinkVersion version of gymlink that trained
 * @param commandLine the arguments given to {@code gymlink train}
 * @param envId env trained on
 * @param envBackend {@code local} or {@code remote}
 * @param servers env servers of a remote run, as given; empty for a local run
 * @param startedAt local time the run started, ISO-8601
 * @param dqn the agent's complete config
 */
record RunSettings(
        String gymlinkVersion,
        List<String> commandLine,
        String envId,
        String envBackend,
        List<String> servers,
        String startedAt,
        DqnConfig dqn) {

    RunSettings {
        commandLine = List.copyOf(commandLine);
        servers = List.copyOf(servers);
    }
}
