package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The launcher records its class data sharing archive from {@link StartupWorkload}: its local
 * training run has to succeed and its remote one has to get as far as the refused connection, or the
 * archive would miss the classes commands load.
 */
class StartupWorkloadTest {

    @Test
    void trainsLocallyAndGetsAsFarAsTheRefusedConnection() throws Exception {
        StartupWorkload.Outcome outcome = StartupWorkload.run();
        assertEquals(0, outcome.localTrainExitCode(), "local training run");
        assertEquals(Gymlink.EXIT_FAILURE, outcome.remoteTrainExitCode(), "remote run against a closed port");
    }
}
