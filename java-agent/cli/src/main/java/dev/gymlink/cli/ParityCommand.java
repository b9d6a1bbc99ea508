package dev.gymlink.cli;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.cartpole.CartPole;
import dev.gymlink.env.remote.ParityCheck;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gymlink parity}: plays the same seeded episodes with the same random actions on the
 * built-in Java CartPole and on Gymnasium's CartPole-v1 behind a server, and reports how far they
 * drift apart. Exits non-zero when they differ, so scripts can use it as a check.
 */
@Command(name = "parity", mixinStandardHelpOptions = true, description = "Compare the built-in Java " + CartPole.ID + " with Gymnasium's on a"
        + " server, step by step: episodes, steps, max |observation difference|, flag mismatches. Exits 1 when"
        + " they differ.")
final class ParityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--server", paramLabel = "HOST:PORT", converter = ServerAddress.Converter.class,
            defaultValue = "${env:GYMLINK_SERVER:-localhost:50051}",
            description = "Env server with Gymnasium's CartPole-v1 (default: ${DEFAULT-VALUE}; env var GYMLINK_SERVER).")
    ServerAddress server;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "10",
            description = "Episodes to compare (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Episode e is reset with seed S + e and played with actions drawn from that seed"
                    + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws EnvException {
        if (episodes < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--episodes must be at least 1, got " + episodes);
        }
        PrintWriter out = spec.commandLine().getOut();
        ParityCheck.Report report;
        try (Servers servers = Servers.open(List.of(server), connection.security())) {
            Servers.Server target = servers.first();
            report = ParityCheck.cartPole(target.channel(), episodes, seed);
            out.printf(Locale.ROOT, "%s: built-in Java CartPole vs Gymnasium on %s, seed %d%n", CartPole.ID,
                    target.label(), seed);
        }
        out.printf(Locale.ROOT, "episodes %d, steps %d, max |obs difference| %s, flag mismatches %d,"
                        + " reward mismatches %d%n", report.episodes(), report.steps(),
                report.maxObservationDifference(), report.flagMismatches(), report.rewardMismatches());
        report.mismatches().forEach(mismatch -> out.println("  " + mismatch));
        out.flush();
        if (!report.identical()) {
            throw new CliException("the Java and the Gymnasium CartPole differ (details above): check that the"
                    + " server runs the Gymnasium version gymlink was checked against");
        }
        out.println("identical");
        out.flush();
        return 0;
    }
}
