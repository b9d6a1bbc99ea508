package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The trainer Job in {@code deploy/k8s/trainer-job.yaml} passes arguments the real command line
 * accepts, so the manifest and the CLI cannot drift apart (the server side is checked by the
 * server's test_k8s_manifests.py).
 */
class KubernetesJobArgsTest {

    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void theTrainerJobsArgumentsParseAsATrainCommandWithTlsAndAToken() throws IOException {
        List<String> args = jobArgs(repositoryRoot().resolve("deploy/k8s/trainer-job.yaml"));
        assertEquals("train", args.get(0), "the Job runs train: " + args);

        CommandLine commandLine = Gymlink.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        ParseResult parsed = commandLine.parseArgs(args.toArray(String[]::new));
        ParseResult train = parsed.subcommand();
        assertEquals("train", train.commandSpec().name());
        assertEquals("remote", train.matchedOptionValue("--env-backend", null).toString().toLowerCase());
        List<ServerAddress> servers = train.matchedOptionValue("--server", List.of());
        assertEquals(1, servers.size(), "one name: the headless Service, resolved to every pod");
        assertTrue(servers.get(0).host().endsWith(".svc.cluster.local"), servers.toString());
        assertTrue(train.hasMatchedOption("--tls-ca"), "the Job verifies the server's certificate");
        assertTrue(train.hasMatchedOption("--token-file"), "the Job sends a token");
        assertFalse(train.hasMatchedOption("--tls-cert"), "no client certificate in the Job");
        Path out = train.matchedOptionValue("--out", null);
        assertTrue(out.startsWith("/gymlink/runs"), "runs land on the mounted volume: " + out);
        int numEnvs = train.matchedOptionValue("--num-envs", 0);
        assertTrue(numEnvs >= 2, "at least one copy per server replica: " + numEnvs);
    }

    /** The flow-style list after {@code args:}, which may span lines until its closing bracket. */
    static List<String> jobArgs(Path manifest) throws IOException {
        String text = Files.readString(manifest);
        int start = text.indexOf("args: [");
        assertTrue(start >= 0, "no flow-style 'args: [' in " + manifest);
        int end = text.indexOf(']', start);
        List<String> args = new ArrayList<>();
        Matcher matcher = QUOTED.matcher(text.substring(start, end));
        while (matcher.find()) {
            args.add(matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return args;
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no deploy/k8s above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
