package dev.gymlink.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules that each package-info.java states, checked on the imports of the main
 * sources of every module: cli -> train -> agent -> env, generated proto types only in the client.
 */
class PackageDependencyTest {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

    /** Import prefixes a package (and its subpackages, unless listed themselves) must not use. */
    private static final Map<String, List<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("dev.gymlink.env", List.of("dev.gymlink.env.remote", "dev.gymlink.proto", "dev.gymlink.agent",
                    "dev.gymlink.train", "dev.gymlink.cli", "dev.gymlink.testkit", "io.grpc", "com.google")),
            Map.entry("dev.gymlink.env.remote", List.of("dev.gymlink.agent", "dev.gymlink.train", "dev.gymlink.cli",
                    "dev.gymlink.testkit")),
            Map.entry("dev.gymlink.agent", List.of("dev.gymlink.train", "dev.gymlink.cli", "dev.gymlink.env.remote",
                    "dev.gymlink.proto", "dev.gymlink.testkit", "io.grpc")),
            Map.entry("dev.gymlink.agent.dqn", List.of("dev.gymlink.agent.sac", "dev.gymlink.train", "dev.gymlink.cli",
                    "dev.gymlink.env.remote", "dev.gymlink.proto", "dev.gymlink.testkit", "io.grpc")),
            Map.entry("dev.gymlink.agent.mlp", List.of("dev.gymlink.agent.dqn", "dev.gymlink.agent.sac",
                    "dev.gymlink.agent.run", "dev.gymlink.train", "dev.gymlink.cli", "dev.gymlink.env",
                    "dev.gymlink.proto", "dev.gymlink.testkit", "io.grpc")),
            Map.entry("dev.gymlink.agent.run", List.of("dev.gymlink.agent.dqn", "dev.gymlink.agent.sac",
                    "dev.gymlink.agent.mlp", "dev.gymlink.train", "dev.gymlink.cli", "dev.gymlink.env",
                    "dev.gymlink.proto", "dev.gymlink.testkit", "io.grpc")),
            Map.entry("dev.gymlink.agent.tuning", List.of("dev.gymlink.agent.dqn", "dev.gymlink.agent.sac",
                    "dev.gymlink.agent.mlp", "dev.gymlink.agent.run", "dev.gymlink.train", "dev.gymlink.cli",
                    "dev.gymlink.env", "dev.gymlink.proto", "dev.gymlink.testkit", "io.grpc")),
            // SAC shares seeding, the solve criterion and the network with DQN through agent.run and
            // agent.mlp, never through DQN's own package.
            Map.entry("dev.gymlink.agent.sac", List.of("dev.gymlink.agent.dqn", "dev.gymlink.train", "dev.gymlink.cli",
                    "dev.gymlink.env.remote", "dev.gymlink.proto", "dev.gymlink.testkit", "io.grpc")),
            Map.entry("dev.gymlink.train", List.of("dev.gymlink.cli", "dev.gymlink.env.remote", "dev.gymlink.proto",
                    "dev.gymlink.testkit", "io.grpc", "org.jfree", "picocli")),
            Map.entry("dev.gymlink.train.sac", List.of("dev.gymlink.agent.dqn", "dev.gymlink.cli",
                    "dev.gymlink.env.remote", "dev.gymlink.proto", "dev.gymlink.testkit", "io.grpc", "org.jfree",
                    "picocli")),
            Map.entry("dev.gymlink.testkit", List.of("dev.gymlink.agent", "dev.gymlink.train", "dev.gymlink.cli",
                    "dev.gymlink.proto")),
            Map.entry("dev.gymlink.cli", List.of("dev.gymlink.proto", "dev.gymlink.testkit")));

    @Test
    void everyMainPackageImportsOnlyWhatItsRuleAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> sources = mainSources();
        assertTrue(sources.size() > 50, "found only " + sources.size() + " main sources under " + javaAgentDir());
        for (Path source : sources) {
            violations.addAll(violationsIn(javaAgentDir().relativize(source).toString(), Files.readString(source)));
        }
        assertEquals(List.of(), violations);
    }

    /** The rules catch what they exist for: SAC reaching into DQN's package again, in either layer. */
    @Test
    void sacReachingIntoDqnIsAViolation() {
        assertEquals(List.of("SacAgent.java (dev.gymlink.agent.sac) imports dev.gymlink.agent.dqn.Rng"),
                violationsIn("SacAgent.java", "package dev.gymlink.agent.sac;\n\nimport dev.gymlink.agent.dqn.Rng;\n"));
        assertEquals(List.of("SacTrainable.java (dev.gymlink.train.sac) imports dev.gymlink.agent.dqn.DqnConfig"),
                violationsIn("SacTrainable.java",
                        "package dev.gymlink.train.sac;\n\nimport dev.gymlink.agent.dqn.DqnConfig;\n"
                                + "import dev.gymlink.agent.run.RunRandomness;\nimport dev.gymlink.train.Trainer;\n"));
        assertEquals(List.of("Rng.java (dev.gymlink.agent.run) imports dev.gymlink.agent.dqn.DqnConfig"),
                violationsIn("Rng.java", "package dev.gymlink.agent.run;\n\nimport dev.gymlink.agent.dqn.DqnConfig;\n"));
    }

    @Test
    void everyMainPackageSaysWhatLivesThere() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path dir : mainSources().stream().map(Path::getParent).distinct().toList()) {
            if (!Files.exists(dir.resolve("package-info.java"))) {
                missing.add(javaAgentDir().relativize(dir).toString());
            }
        }
        assertEquals(List.of(), missing);
    }

    private static List<String> violationsIn(String sourceName, String text) {
        Matcher packageMatch = PACKAGE.matcher(text);
        assertTrue(packageMatch.find(), "no package in " + sourceName);
        String pkg = packageMatch.group(1);
        List<String> forbidden = ruleFor(pkg);
        List<String> violations = new ArrayList<>();
        Matcher imports = IMPORT.matcher(text);
        while (imports.find()) {
            String imported = imports.group(1);
            for (String prefix : forbidden) {
                if (imported.equals(prefix) || imported.startsWith(prefix + ".")) {
                    violations.add(sourceName + " (" + pkg + ") imports " + imported);
                }
            }
        }
        return violations;
    }

    /** The rule of the longest listed package that is {@code pkg} or contains it. */
    private static List<String> ruleFor(String pkg) {
        String best = null;
        for (String ruled : FORBIDDEN.keySet()) {
            if ((pkg.equals(ruled) || pkg.startsWith(ruled + ".")) && (best == null || ruled.length() > best.length())) {
                best = ruled;
            }
        }
        return best == null ? List.of() : FORBIDDEN.get(best);
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(javaAgentDir())) {
            return files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> path.toString().contains("/src/main/java/"))
                    .sorted()
                    .toList();
        }
    }

    /** java-agent/, seen from the system-tests module that Maven runs this in. */
    private static Path javaAgentDir() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
