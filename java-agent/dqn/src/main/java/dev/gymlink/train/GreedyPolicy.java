package dev.gymlink.train;

import dev.gymlink.agent.dqn.DqnAgent;
import dev.gymlink.env.Space;

/** What {@link Evaluation} plays: one deterministic action per observation, in the action space's own form. */
public interface GreedyPolicy {

    /**
     * Checks that this policy can act in an env with these spaces.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    void requireCompatible(String envId, Space observationSpace, Space actionSpace);

    /**
     * The action for one flattened observation, as the env's action space holds it; after
     * {@link #requireCompatible}, which tells the policy the action space.
     */
    Object greedyAction(float[] observation);

    /** A DQN agent's greedy policy: the action with the highest Q-value. */
    static GreedyPolicy of(DqnAgent agent) {
        return new DqnTrainable(agent);
    }
}
