package dev.gymlink.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.testkit.PythonEnvServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's Java example is {@link LeaningPole}, compiled with the tests: this test runs it
 * against a real env server and checks that the README's code block is that file, from its
 * {@code README:begin} line on, so that neither goes stale without the other.
 */
class ReadmeExampleTest {

    private static final Path EXAMPLE = Path.of("src/test/java/dev/gymlink/examples/LeaningPole.java");
    private static final Path README = Path.of("../../README.md");
    /** The README comment just above the code block. */
    static final String MARKER = "<!-- java-agent/system-tests/src/test/java/dev/gymlink/examples/LeaningPole.java -->";

    @Test
    void theExamplePlaysAnEpisodeOnARealServer() {
        double episodeReturn = LeaningPole.play(PythonEnvServer.shared().target());
        // Leaning with the pole keeps it up far longer than the ~22 steps of random play.
        assertTrue(episodeReturn >= 30, "return " + episodeReturn);
    }

    @Test
    void theReadmeShowsTheExampleAsItIs() throws IOException {
        String source = Files.readString(EXAMPLE);
        int begin = source.indexOf('\n', source.indexOf("// README:begin")) + 1;
        String expected = source.substring(begin).strip();

        String readme = Files.readString(README);
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md has no line " + MARKER + " above the example");
        int open = readme.indexOf("```java\n", marker);
        int close = readme.indexOf("\n```", open + 1);
        assertTrue(open >= 0 && close > open, "no ```java block after " + MARKER);
        String shown = readme.substring(open + "```java\n".length(), close).strip();
        assertEquals(expected, shown, "README.md's example differs from " + EXAMPLE + "; paste the file from its "
                + "README:begin line on into the README");
    }
}
