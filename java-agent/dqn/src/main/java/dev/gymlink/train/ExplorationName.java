package dev.gymlink.train;

import java.util.regex.Pattern;

/**
 * What an agent's {@link TrainableAgent#exploration} measures, as the reports name it, so each
 * algorithm's quantity appears under its own name: DQN's {@code epsilon}, SAC's {@code alpha}.
 *
 * @param name the {@code metrics.csv} column, the TensorBoard tag {@code train/NAME} and the word
 *     in the progress log line: lower case letters, digits and underscores
 * @param abbreviation its label in the progress bar, where space is short
 */
public record ExplorationName(String name, String abbreviation) {

    private static final Pattern COLUMN = Pattern.compile("[a-z][a-z0-9_]*");

    public ExplorationName {
        if (name == null || !COLUMN.matcher(name).matches()) {
            throw new IllegalArgumentException("an exploration name must be a CSV column and TensorBoard tag"
                    + " of lower case letters, digits and underscores, got " + name);
        }
        if (abbreviation == null || abbreviation.isBlank() || abbreviation.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("an exploration abbreviation must be one word, got '" + abbreviation + "'");
        }
    }
}
