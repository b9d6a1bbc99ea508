package dev.gymlink.cli;

import dev.gymlink.env.remote.GymlinkChannels;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code gymlink} command line: train a DQN or SAC agent on a Gymnasium env (the embedded Java
 * CartPole and Pendulum, or any env of a gymlink env server), evaluate it, record it, and inspect servers.
 *
 * <p>The only place in gymlink that ends the JVM: {@link #main} exits with the command's code;
 * everything else returns codes or throws.
 */
@Command(
        name = "gymlink",
        mixinStandardHelpOptions = true,
        versionProvider = Gymlink.Version.class,
        description = "Train a DQN agent (Discrete actions) or a SAC agent (Box actions) on Gymnasium environments:"
                + " the built-in Java CartPole and Pendulum, or any env served over gRPC by a gymlink env server"
                + " (python -m gymlink_server).",
        subcommands = {
            TrainCommand.class,
            EvalCommand.class,
            PlayCommand.class,
            PlotCommand.class,
            EnvsCommand.class,
            ParityCommand.class,
            HelpCommand.class
        },
        footer = {"", "Start with: gymlink train    (trains CartPole-v1 on the built-in Java env)",
            "Continuous: gymlink train --env Pendulum-v1    (SAC on the built-in Java Pendulum)"})
public final class Gymlink implements Runnable {

    /** Exit code of a failure while running (server unreachable, env refused, I/O error). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of bad command-line input (picocli's convention). */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    /**
     * grpc-java logs through java.util.logging; its warnings (a name that does not resolve prints 13
     * lines with a stack trace) would come before our one-line error. Held here because
     * java.util.logging keeps loggers only weakly, and a collected logger forgets its level.
     */
    private static final java.util.logging.Logger GRPC_LOGGING = java.util.logging.Logger.getLogger("io.grpc");

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On failure print the stack trace too; let libraries log at info level.")
    void setVerbose(boolean verbose) {
        if (verbose) {
            // Read by slf4j-simple when the first logger is made, which happens after parsing.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            GRPC_LOGGING.setLevel(java.util.logging.Level.INFO);
        }
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "choose a command: train, eval, play, plot, envs or parity");
    }

    public static void main(String[] args) {
        configureJvm();
        Charset charset = Charset.defaultCharset();
        int code = execute(args, new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new OutputStreamWriter(System.err, charset), true));
        GymlinkChannels.releaseThreads(Duration.ofSeconds(1));
        System.exit(code);
    }

    /** What a process that runs commands sets up once, before the first ({@link #main}, {@link StartupWorkload}). */
    static void configureJvm() {
        if (System.getProperty("java.awt.headless") == null) {
            // Charts and GIFs are drawn off screen; never try to reach a display.
            System.setProperty("java.awt.headless", "true");
        }
        // ImageIO's disk cache registers a shutdown hook per stream, which fails while Ctrl-C lets
        // training write its final learning curve; our images are small enough for memory.
        ImageIO.setUseCache(false);
    }

    /** Runs a command line in-process and returns its exit code (for {@link #main} and tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        // Quiet unless --verbose (parsed later) says otherwise: failures reach the user as one line.
        GRPC_LOGGING.setLevel(java.util.logging.Level.OFF);
        CommandLine commandLine = new CommandLine(new Gymlink());
        commandLine.setCommandName(programName());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Gymlink::onBadInput);
        commandLine.setExecutionExceptionHandler((failure, failedCommand, parseResult) -> {
            ErrorReport.print(failure, isVerbose(parseResult), failedCommand.getErr());
            return EXIT_FAILURE;
        });
        return commandLine;
    }

    /** A usage error: one line naming the problem and the help to read, never the whole usage text. */
    private static int onBadInput(ParameterException error, String[] args) {
        CommandLine failed = error.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("gymlink: " + error.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ")
                + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
        if (Arrays.asList(args).contains("--verbose")) {
            error.printStackTrace(err);
        }
        err.flush();
        return EXIT_USAGE;
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult each = parseResult; each != null; each = each.subcommand()) {
            if (each.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * How users start gymlink, for messages that suggest a next command: {@code gymlink}, or what
     * a launcher says it is (the {@code ./gymlink} script passes {@code -Dgymlink.programName}).
     */
    static String programName() {
        String name = System.getProperty("gymlink.programName");
        return name == null || name.isBlank() ? "gymlink" : name;
    }

    /** This build's version: from the jar manifest, or "development" when run from classes. */
    static String version() {
        String version = Gymlink.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** The version from the jar manifest (set by the build), or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "gymlink " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
