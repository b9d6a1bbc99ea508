package dev.gymlink.env.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a remote env keeps of each copy's episode in flight so that a restarted server can rebuild
 * it exactly: the seed the episode was reset with, the actions since and the observations seen
 * (to check the replay bit for bit). An episode is replayable when its reset was seeded, the env's
 * spec is deterministic and the reset had no options; an unseeded reset (or a step that ended an
 * episode without a seeded autoreset) makes that copy's episode unreplayable until its next
 * seeded reset.
 *
 * <p><b>Cost.</b> One action and one observation reference per copy and step, dropped at the end
 * of each episode; nothing is copied (observations are the decoded objects the caller got anyway).
 * For CartPole x64 that is at most 500 x 64 small tensors. An episode longer than
 * {@link #MAX_STEPS} stops being recorded and becomes unreplayable, which bounds the memory of
 * envs without a time limit.
 */
final class EpisodesInFlight {

    /** Longest episode kept for replay, in steps. */
    static final int MAX_STEPS = 100_000;

    /** Why no episode of this env can ever be replayed, or null. */
    private final String never;
    private final long[] seeds;
    private final String[] unreplayable;
    private final List<List<Object>> actions = new ArrayList<>();
    private final List<List<Object>> observations = new ArrayList<>();

    /** @param never why no episode of this env can be replayed (a nondeterministic env), or empty */
    EpisodesInFlight(int copies, Optional<String> never) {
        this.never = never.orElse(null);
        this.seeds = new long[copies];
        this.unreplayable = new String[copies];
        for (int i = 0; i < copies; i++) {
            actions.add(new ArrayList<>());
            observations.add(new ArrayList<>());
            unreplayable[i] = this.never != null ? this.never : "no episode has started";
        }
    }

    /** Copy {@code copy} started an episode from {@code observation}, reset with {@code seed} (empty: unseeded). */
    void started(int copy, OptionalLong seed, boolean withOptions, Object observation) {
        List<Object> seen = observations.get(copy);
        actions.get(copy).clear();
        seen.clear();
        if (never != null) {
            unreplayable[copy] = never;
        } else if (seed.isEmpty()) {
            unreplayable[copy] = "copy " + copy + "'s episode began with an unseeded reset";
        } else if (withOptions) {
            unreplayable[copy] = "copy " + copy + "'s episode began with reset options";
        } else {
            unreplayable[copy] = null;
            seeds[copy] = seed.getAsLong();
            seen.add(observation);
        }
    }

    /** Copy {@code copy} took {@code action} and saw {@code observation}, its episode going on. */
    void stepped(int copy, Object action, Object observation) {
        if (unreplayable[copy] != null) {
            return;
        }
        List<Object> taken = actions.get(copy);
        if (taken.size() >= MAX_STEPS) {
            unreplayable[copy] = "copy " + copy + "'s episode is longer than " + MAX_STEPS + " steps";
            taken.clear();
            observations.get(copy).clear();
            return;
        }
        taken.add(action);
        observations.get(copy).add(observation);
    }

    /** Every copy's episode is forgotten (a failed request left the env in an unknown state). */
    void forget(String why) {
        for (int i = 0; i < seeds.length; i++) {
            actions.get(i).clear();
            observations.get(i).clear();
            unreplayable[i] = never != null ? never : why;
        }
    }

    /** Why an env with this spec can never replay, or empty. */
    static Optional<String> neverFor(dev.gymlink.env.EnvSpec spec) {
        return spec.nondeterministic()
                ? Optional.of(spec.id() + " is registered as nondeterministic: the same seed may not give the same episode")
                : Optional.empty();
    }

    /** Why the episodes cannot be replayed, or empty when every copy's can. */
    Optional<String> whyNotReplayable() {
        for (String why : unreplayable) {
            if (why != null) {
                return Optional.of(why);
            }
        }
        return Optional.empty();
    }

    int copies() {
        return seeds.length;
    }

    long seed(int copy) {
        return seeds[copy];
    }

    List<Object> actions(int copy) {
        return actions.get(copy);
    }

    /** The observations of copy {@code copy}'s episode: after the reset, then after each action. */
    List<Object> observations(int copy) {
        return observations.get(copy);
    }

    /** Steps the replay covers, over all copies. */
    int steps() {
        return actions.stream().mapToInt(List::size).sum();
    }

    /**
     * Where replayed observations first differ from the recorded ones of copy {@code copy}, or
     * empty when they are equal bit for bit.
     */
    Optional<String> firstDifference(int copy, Object[] replayed) {
        List<Object> seen = observations.get(copy);
        if (replayed.length != seen.size()) {
            return Optional.of("copy " + copy + ": " + replayed.length + " observations replayed, " + seen.size()
                    + " recorded");
        }
        for (int t = 0; t < replayed.length; t++) {
            if (!Objects.equals(replayed[t], seen.get(t))) {
                return Optional.of("copy " + copy + " at step " + t + " of its episode: replayed " + replayed[t]
                        + ", recorded " + seen.get(t));
            }
        }
        return Optional.empty();
    }
}
