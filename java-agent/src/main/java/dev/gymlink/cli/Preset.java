package dev.gymlink.cli;

import dev.gymlink.agent.dqn.DqnConfig;

/** {@code --preset}: the DQN config a run starts from. */
enum Preset {
    /** A Double DQN that solves CartPole-v1 reliably (see {@link DqnConfig#defaults()}). */
    DEFAULT,
    /** The classic Keras tutorial's DQN, reproduced (see {@link DqnConfig#tutorial()}). */
    TUTORIAL;

    DqnConfig config() {
        return switch (this) {
            case DEFAULT -> DqnConfig.defaults();
            case TUTORIAL -> DqnConfig.tutorial();
        };
    }
}
