package dev.gymlink.cli;

import dev.gymlink.env.Env;
import dev.gymlink.env.EnvException;
import dev.gymlink.env.Space;
import dev.gymlink.env.StepResult;
import dev.gymlink.cli.render.GifWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gymlink play}: one greedy episode of a trained agent, recorded as an animated GIF from the
 * env's own renderer (the Java CartPole's, or Gymnasium's {@code rgb_array} over the wire).
 */
@Command(name = "play", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Play one greedy episode with a trained agent and record it as an animated GIF.")
final class PlayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedAgentOptions trained;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--record", paramLabel = "FILE.gif",
            description = "GIF to write (default: RUN_DIR/episode.gif).")
    Path record;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1000000",
            description = "The episode starts from reset(seed S) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "50",
            description = "Playback speed in frames per second, 1.." + GifWriter.MAX_FRAMES_PER_SECOND
                    + " (default: ${DEFAULT-VALUE}, CartPole's real time).")
    int fps;

    @Option(names = "--every", paramLabel = "K", defaultValue = "1",
            description = "Record every K-th step, for smaller files (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1.0",
            description = "Frame size factor in (0, 1], e.g. 0.5 for a small preview (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "10000",
            description = "Stop recording after N steps if the episode has not ended (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Override
    public Integer call() throws EnvException, IOException {
        if (fps < 1 || fps > GifWriter.MAX_FRAMES_PER_SECOND) {
            throw new ParameterException(spec.commandLine(),
                    "--fps must be 1.." + GifWriter.MAX_FRAMES_PER_SECOND + ", got " + fps);
        }
        if (!(scale > 0 && scale <= 1)) {
            throw new ParameterException(spec.commandLine(), "--scale must be in (0, 1], got " + scale);
        }
        if (every < 1 || maxSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--every and --max-steps must be at least 1, got "
                    + every + " and " + maxSteps);
        }
        PrintWriter out = spec.commandLine().getOut();
        TrainedAgentOptions.Loaded loaded = trained.load();
        Path gif = record != null ? record : runDirectory(loaded.directory()).resolve("episode.gif");
        if (Files.isDirectory(gif)) {
            throw new CliException("--record " + gif + " is a directory: name the GIF file to write, e.g. "
                    + gif.resolve("episode.gif"));
        }
        try (EnvConnections envs = EnvConnections.open(loaded.envId(), loaded.envSettings(), loaded.backend(), loaded.servers(),
                connection.remote(), loaded.algorithm());
                TrainedAgentOptions.Policy policy = loaded.restorePolicy()) {
            Env env = envs.single(true);
            Space observationSpace = env.observationSpace();
            policy.greedy().requireCompatible(loaded.envId(), observationSpace, env.actionSpace());
            float[] observation = new float[observationSpace.flatDim()];
            observationSpace.flattenInto(env.reset(seed).observation(), observation, 0);
            double episodeReturn = 0;
            int steps = 0;
            boolean ended = false;
            int frames;
            try (GifWriter writer = GifWriter.create(gif, fps, scale)) {
                writer.write(env.render());
                while (!ended && steps < maxSteps) {
                    StepResult step = env.step(policy.greedy().greedyAction(observation));
                    steps++;
                    episodeReturn += step.reward();
                    ended = step.done();
                    if (steps % every == 0 || ended) {
                        writer.write(env.render());
                    }
                    observationSpace.flattenInto(step.observation(), observation, 0);
                }
                frames = writer.frames();
            }
            out.println(loaded.describe());
            out.printf(Locale.ROOT, "played %s on %s: return %s in %d steps (%s)%n", loaded.envId(), envs.where(),
                    Numbers.plain(episodeReturn), steps, ended ? "episode ended" : "stopped at --max-steps");
            out.printf(Locale.ROOT, "recorded %d frames at %d fps to %s%n", frames, fps, gif);
            out.flush();
        }
        return 0;
    }


    /** The run directory around a checkpoint directory ({@code RUN/checkpoints/NAME}). */
    private static Path runDirectory(Path checkpointDirectory) {
        Path run = checkpointDirectory.normalize().getParent();
        run = run == null ? null : run.getParent();
        return run != null ? run : checkpointDirectory.toAbsolutePath().normalize().getParent().getParent();
    }
}
