package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnConfigOverrides;
import dev.gymlink.cli.plot.RunComparison;
import dev.gymlink.train.listeners.EvaluationsCsvListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gymlink plot}: one PNG comparing runs. Runs whose settings differ only in the seed form a
 * group (the seeds of one preset); each group is drawn as the mean of its greedy evaluation curves
 * with a min-max band, labelled by the settings that tell the groups apart.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare runs in one PNG: per group of runs that differ only in their seed, the mean greedy"
                + " evaluation return by env step (from each run's evaluations.csv) with a band from the lowest to the"
                + " highest run.",
            "Example: gymlink plot runs/MountainCar-v0-* runs/tuned-* --out compare.png"})
final class PlotCommand implements Callable<Integer> {

    /** Settings that never tell groups apart. */
    private static final Set<String> IGNORED = Set.of("seed", "backend");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories written by 'gymlink train'.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE.png", defaultValue = RunComparison.FILE_NAME,
            description = "PNG to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT", description = "Chart title (default: the env ids).")
    String title;

    @Override
    public Integer call() throws IOException {
        // Group by everything that decides what is learned, apart from the seed.
        Map<String, List<Path>> byKey = new LinkedHashMap<>();
        Map<String, Map<String, String>> settingsByKey = new LinkedHashMap<>();
        Set<String> envIds = new TreeSet<>();
        for (Path run : runs) {
            RunSettings settings = RunDirectory.readConfig(run);
            if (!Files.isRegularFile(run.resolve(EvaluationsCsvListener.FILE_NAME))) {
                throw new CliException(run + " has no " + EvaluationsCsvListener.FILE_NAME + ": it was trained before"
                        + " gymlink wrote one, or no greedy evaluation ran yet");
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("env", settings.envId() + (settings.envKwargs().isEmpty() ? "" : " " + settings.envKwargs())
                    + (settings.maxEpisodeSteps() == null ? "" : " max_episode_steps=" + settings.maxEpisodeSteps()));
            DqnConfigOverrides.values(settings.dqn()).forEach((key, value) -> {
                if (!IGNORED.contains(key)) {
                    values.put(key, value);
                }
            });
            String key = values.toString();
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
            settingsByKey.put(key, values);
            envIds.add(settings.envId());
        }
        List<RunComparison.Group> groups = new ArrayList<>();
        int number = 1;
        for (Map.Entry<String, List<Path>> group : byKey.entrySet()) {
            List<List<RunComparison.Evaluation>> curves = new ArrayList<>();
            for (Path run : group.getValue()) {
                curves.add(RunComparison.readEvaluationsCsv(run.resolve(EvaluationsCsvListener.FILE_NAME)));
            }
            groups.add(new RunComparison.Group(label(settingsByKey.get(group.getKey()), settingsByKey.values(),
                    number++), curves));
        }
        RunComparison.writePng(out, title != null ? title : String.join(", ", envIds), groups);
        PrintWriter printer = spec.commandLine().getOut();
        for (int k = 0; k < groups.size(); k++) {
            printer.printf(Locale.ROOT, "%s: %s%n", groups.get(k).label(),
                    String.join(" ", new ArrayList<>(byKey.values()).get(k).stream().map(Path::toString).toList()));
        }
        printer.printf(Locale.ROOT, "wrote %s (%d %s of %d %s)%n", out, groups.size(), groups.size() == 1 ? "group"
                : "groups", runs.size(), runs.size() == 1 ? "run" : "runs");
        printer.flush();
        return 0;
    }

    /**
     * What tells this group apart: its origin (preset) when that differs between groups, else the
     * settings it differs in (e.g. {@code learningRate=0.001}), else its origin.
     */
    private static String label(Map<String, String> group, Iterable<Map<String, String>> all, int number) {
        List<String> differing = new ArrayList<>();
        boolean originDiffers = false;
        for (Map.Entry<String, String> setting : group.entrySet()) {
            for (Map<String, String> other : all) {
                if (!setting.getValue().equals(other.get(setting.getKey()))) {
                    originDiffers |= setting.getKey().equals("origin");
                    differing.add(setting.getKey().equals("env") ? setting.getValue()
                            : setting.getKey() + "=" + setting.getValue());
                    break;
                }
            }
        }
        String origin = group.getOrDefault("origin", "group " + number);
        if (originDiffers) {
            return differing.contains(group.get("env")) ? group.get("env") + " " + origin : origin;
        }
        if (differing.isEmpty()) {
            return origin;
        }
        return String.join(", ", differing.subList(0, Math.min(4, differing.size())))
                + (differing.size() > 4 ? ", ..." : "");
    }
}
