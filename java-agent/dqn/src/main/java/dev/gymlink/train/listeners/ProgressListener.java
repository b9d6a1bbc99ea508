package dev.gymlink.train.listeners;

import dev.gymlink.train.ExplorationName;
import dev.gymlink.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how training is going: on a terminal a bar redrawn in place (steps, steps per second,
 * moving-average return, the agent's exploration rate under its own name, time left); otherwise, e.g. in a log file or a container, one
 * plain line per progress report, so logs stay readable.
 */
public final class ProgressListener implements TrainingListener {

    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final boolean liveBar;
    private int lastLineLength;
    private long lastReportedStep = -1;
    private boolean barOnScreen;
    private ExplorationName exploration;

    /**
     * @param out where to print
     * @param liveBar true to redraw one line with carriage returns (only sensible on a terminal)
     */
    public ProgressListener(PrintWriter out, boolean liveBar) {
        this.out = out;
        this.liveBar = liveBar;
    }

    @Override
    public void onTrainingStart(TrainingStart start) {
        exploration = start.explorationName();
        out.printf(Locale.ROOT, "training %s for %,d env steps on %d %s: %s%n", start.envId(), start.totalSteps(),
                start.numEnvs(), start.numEnvs() == 1 ? "env" : "envs", start.configSummary());
        out.flush();
    }

    @Override
    public void onProgress(Progress progress) {
        if (progress.envStep() == lastReportedStep) {
            // The final report repeats the last periodic one when the budget ends on a report step.
            return;
        }
        lastReportedStep = progress.envStep();
        if (liveBar) {
            String line = barLine(progress, exploration);
            // Pad with spaces so a shorter line fully covers the previous one.
            String padding = " ".repeat(Math.max(0, lastLineLength - line.length()));
            out.print("\r" + line + padding);
            lastLineLength = line.length();
            barOnScreen = true;
        } else {
            out.println(logLine(progress, exploration));
        }
        out.flush();
    }

    /** Evaluations are rare and decide when training stops, so they get a line of their own. */
    @Override
    public void onEvaluation(EvaluationEnd evaluation) {
        if (barOnScreen) {
            // Replace the bar by the evaluation line; the next report draws the bar again below it.
            out.print("\r" + " ".repeat(lastLineLength) + "\r");
            barOnScreen = false;
            lastLineLength = 0;
        }
        out.println(evaluationLine(evaluation));
        out.flush();
    }

    @Override
    public void onTrainingEnd(TrainingEnd end) {
        if (barOnScreen) {
            out.println();
            barOnScreen = false;
        }
        out.flush();
    }

    /** The terminal bar, e.g. {@code [#########...............]  38% 19,000/50,000 steps | 2,310 steps/s | ...}. */
    static String barLine(Progress progress, ExplorationName exploration) {
        double fraction = fraction(progress);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %3d%% %,d/%,d steps | %,.0f steps/s | avg100 %s | %s %.3f | ep %,d | %s left",
                "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), Math.round(fraction * 100),
                progress.envStep(), progress.totalSteps(), progress.stepsPerSecond(),
                average(progress.meanReturn100()), exploration.abbreviation(), progress.exploration(), progress.episodes(), timeLeft(progress));
    }

    /** One self-contained log line per report. */
    static String logLine(Progress progress, ExplorationName exploration) {
        return String.format(Locale.ROOT, "step %d/%d (%d%%) episodes %d avg100 %s %s %.3f steps/s %.0f eta %s",
                progress.envStep(), progress.totalSteps(), Math.round(fraction(progress) * 100), progress.episodes(),
                average(progress.meanReturn100()), exploration.name(), progress.exploration(), progress.stepsPerSecond(), timeLeft(progress));
    }

    static String evaluationLine(EvaluationEnd evaluation) {
        String verdict = Double.isNaN(evaluation.threshold()) ? ""
                : evaluation.solved() ? String.format(Locale.ROOT, " >= %s: solved", plain(evaluation.threshold()))
                : String.format(Locale.ROOT, " < %s", plain(evaluation.threshold()));
        return String.format(Locale.ROOT,
                "evaluation at step %d: mean return %s +- %s (min %s, max %s) over %d greedy episodes%s%s",
                evaluation.envStep(), score(evaluation.meanReturn()), score(evaluation.stdReturn()),
                score(evaluation.minReturn()), score(evaluation.maxReturn()), evaluation.episodes(), verdict,
                evaluation.best() ? " (best so far)" : "");
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static double fraction(Progress progress) {
        if (progress.totalSteps() <= 0) {
            return 0;
        }
        return Math.min(1.0, Math.max(0.0, (double) progress.envStep() / progress.totalSteps()));
    }

    private static String average(double meanReturn100) {
        return score(meanReturn100);
    }

    /** One decimal, two for small returns (FrozenLake's 0.74 must not print as 0.7). */
    private static String score(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
    }

    private static String timeLeft(Progress progress) {
        long remaining = Math.max(0, progress.totalSteps() - progress.envStep());
        if (remaining == 0) {
            return "0s";
        }
        if (!(progress.stepsPerSecond() > 0)) {
            return "?";
        }
        long seconds = Math.round(remaining / progress.stepsPerSecond());
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }
}
