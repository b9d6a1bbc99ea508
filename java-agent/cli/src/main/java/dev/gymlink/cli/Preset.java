package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.agent.dqn.TunedHyperparameters;

/** {@code --preset}: the DQN config a run starts from. */
enum Preset {
    /**
     * The env's tuned hyperparameters ({@link TunedHyperparameters}), or for an env without
     * one the Double DQN tuned for CartPole-v1 ({@link DqnConfig#defaults()}).
     */
    DEFAULT,
    /** The classic Keras tutorial's DQN, reproduced (see {@link DqnConfig#tutorial()}). */
    TUTORIAL;

    DqnConfig config(String envId) {
        return switch (this) {
            case DEFAULT -> TunedHyperparameters.bundled().config(envId);
            case TUTORIAL -> DqnConfig.tutorial();
        };
    }
}
