package dev.gymlink.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.LazyFuture;

/**
 * The project's own images for the container tests, built from the repository's Dockerfiles with
 * the {@code docker} CLI the first time a test of this JVM needs them, so that the test command
 * needs nothing built beforehand:
 *
 * <ul>
 *   <li>{@code gymlink/env-server:TAG} from {@code python-env-server/Dockerfile}, the repository
 *       root as build context (the image needs {@code proto/});
 *   <li>{@code gymlink/trainer:TAG} from {@code java-agent/cli/Dockerfile.prebuilt}, packaging the
 *       jar this Maven build made (system property {@value #TRAINER_JAR_PROPERTY}), which is alone
 *       in its build context.
 * </ul>
 *
 * <p><b>Reuse.</b> Each JVM asks {@code docker build} once per image. Its layer cache makes that
 * a reuse of the same image, in a second or two, when nothing the Dockerfile copies has changed,
 * and rebuilds from the first changed layer otherwise: a test never runs a server older than the
 * checkout, and no list of inputs is kept here beside the Dockerfile's own. The image a rebuild
 * replaces is removed unless a container still uses it.
 *
 * <p><b>Base image.</b> The variable docker-compose.yml reads for the same build, when set
 * ({@code SERVER_BASE_IMAGE}, {@code TRAINER_RUNTIME_IMAGE}); else the public base
 * ({@code python:3.12-slim}, {@code eclipse-temurin:17-jre}) when Docker has it; else
 * {@value #LOCAL_BASE_IMAGE} when Docker has that (a machine with no registry builds it with
 * debootstrap, see {@code .ci/run}); else the public base, pulled. {@code EXTRA_CA_PEM}
 * (certificates of a TLS-inspecting proxy, for pip in the server build) defaults to the ones this
 * host added to its own trust store in {@value #HOST_EXTRA_CA_DIR}.
 *
 * <p>An image outside the gymlink repositories (e.g. {@code -Dgymlink.it.serverImage=other/server:1})
 * is used as it is. The builds run with {@code DOCKER_BUILDKIT=0}: the Dockerfiles need nothing
 * from BuildKit, and the classic builder needs no buildx plugin and pulls no frontend image.
 */
final class ProjectImages {

    static final String SERVER_REPOSITORY = "gymlink/env-server";
    static final String TRAINER_REPOSITORY = "gymlink/trainer";
    /** The registry-free Debian base that {@code .ci/run} imports from a debootstrap. */
    static final String LOCAL_BASE_IMAGE = "local/debian:bookworm";
    /** The jar {@code Dockerfile.prebuilt} packages; the system-tests pom sets it for this build. */
    static final String TRAINER_JAR_PROPERTY = "gymlink.it.trainerJar";
    /** Where the build logs go; the system-tests pom points it into the module's build directory. */
    static final String BUILD_LOG_DIR_PROPERTY = "gymlink.it.imageBuildLogs";
    static final String HOST_EXTRA_CA_DIR = "/usr/local/share/ca-certificates";

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    private static final int LOG_TAIL_LINES = 40;

    /** How one of the project's images is built. */
    private record Recipe(String repository, String dockerfile, String baseVariable, String baseArgument,
            String publicBase) {}

    private static final Recipe SERVER = new Recipe(SERVER_REPOSITORY, "python-env-server/Dockerfile",
            "SERVER_BASE_IMAGE", "BASE_IMAGE", "python:3.12-slim");
    private static final Recipe TRAINER = new Recipe(TRAINER_REPOSITORY, "java-agent/cli/Dockerfile.prebuilt",
            "TRAINER_RUNTIME_IMAGE", "RUNTIME_IMAGE", "eclipse-temurin:17-jre");

    /** Images this JVM has already built or found up to date. */
    private static final Set<String> READY = new HashSet<>();
    /** Why a build failed in this JVM: later tests fail at once with the same reason, not after another try. */
    private static final Map<String, RuntimeException> FAILED = new HashMap<>();

    private ProjectImages() {}

    /** {@code image}, built when a container first resolves it (a Testcontainers image future). */
    static Future<String> server(String image) {
        return new LazyFuture<>() {
            @Override
            protected String resolve() {
                return ensureServer(image);
            }
        };
    }

    /** Builds the env server image {@code image} if it is one of the project's; returns its name. */
    static synchronized String ensureServer(String image) {
        if (!isProjects(image, SERVER) || READY.contains(image)) {
            return image;
        }
        buildOnce(image, () -> build(image, SERVER, repositoryRoot(), Map.of("EXTRA_CA_PEM", extraCaPem())));
        return image;
    }

    /** Builds the trainer image {@code image} around this build's jar if it is one of the project's. */
    static synchronized String ensureTrainer(String image) {
        if (!isProjects(image, TRAINER) || READY.contains(image)) {
            return image;
        }
        buildOnce(image, () -> buildTrainer(image));
        return image;
    }

    private static void buildTrainer(String image) {
        Path jar = trainerJar(repositoryRoot());
        Path context = null;
        try {
            // Only the jar, at the path the Dockerfile copies it from: no other build output is sent to Docker.
            context = Files.createTempDirectory("gymlink-trainer-context");
            Path jarInContext = context.resolve("java-agent/cli/target/gymlink.jar");
            Files.createDirectories(jarInContext.getParent());
            try {
                Files.createLink(jarInContext, jar);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(jar, jarInContext);
            }
            build(image, TRAINER, context, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the build context of " + image, e);
        } finally {
            deleteQuietly(context);
        }
    }

    private static void buildOnce(String image, Runnable build) {
        RuntimeException earlier = FAILED.get(image);
        if (earlier != null) {
            throw new IllegalStateException("building " + image + " failed earlier in this run: " + earlier.getMessage(),
                    earlier);
        }
        try {
            build.run();
            READY.add(image);
        } catch (RuntimeException e) {
            FAILED.put(image, e);
            throw e;
        }
    }

    /** The repository root, found from the working directory (a module's, under Maven). */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; dir != null && up < 5; up++, dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SERVER.dockerfile())) && Files.isRegularFile(dir.resolve(TRAINER.dockerfile()))) {
                return dir;
            }
        }
        throw new IllegalStateException("no gymlink checkout (with " + SERVER.dockerfile() + ") above "
                + Path.of("").toAbsolutePath());
    }

    private static boolean isProjects(String image, Recipe recipe) {
        int colon = image.lastIndexOf(':');
        String repository = colon > 0 && image.indexOf('/', colon) < 0 ? image.substring(0, colon) : image;
        return repository.equals(recipe.repository());
    }

    private static String baseImage(Recipe recipe) {
        String configured = System.getenv(recipe.baseVariable());
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (imageId(recipe.publicBase()) == null && imageId(LOCAL_BASE_IMAGE) != null) {
            return LOCAL_BASE_IMAGE;
        }
        return recipe.publicBase();
    }

    /** EXTRA_CA_PEM as set (even empty), else this host's added certificates, else empty. */
    private static String extraCaPem() {
        String configured = System.getenv("EXTRA_CA_PEM");
        if (configured != null) {
            return configured;
        }
        Path dir = Path.of(HOST_EXTRA_CA_DIR);
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder pems = new StringBuilder();
        try (DirectoryStream<Path> certificates = Files.newDirectoryStream(dir, "*.crt")) {
            List<Path> sorted = new ArrayList<>();
            certificates.forEach(sorted::add);
            sorted.sort(Comparator.naturalOrder());
            for (Path certificate : sorted) {
                pems.append(Files.readString(certificate, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's certificates in " + dir, e);
        }
        return pems.toString();
    }

    private static Path trainerJar(Path root) {
        String configured = System.getProperty(TRAINER_JAR_PROPERTY);
        Path jar = configured == null || configured.isBlank()
                ? root.resolve("java-agent/cli/target/gymlink.jar")
                : Path.of(configured);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the trainer image packages " + jar + ", which is not built; build it with"
                    + " ./mvnw -pl java-agent/cli -am package (./mvnw verify builds it before the container tests)");
        }
        return jar;
    }

    private static void build(String image, Recipe recipe, Path context, Map<String, String> moreArguments) {
        String base = baseImage(recipe);
        Path dockerfile = repositoryRoot().resolve(recipe.dockerfile());
        List<String> command = new ArrayList<>(List.of("docker", "build", "-t", image, "-f", dockerfile.toString(),
                "--build-arg", recipe.baseArgument() + "=" + base));
        moreArguments.forEach((name, value) -> command.addAll(List.of("--build-arg", name + "=" + value)));
        command.add(context.toString());
        Path log = buildLog(image);
        String before = imageId(image);
        System.out.printf(Locale.ROOT, "image %s: docker build -f %s on %s (log: %s)%n", image, recipe.dockerfile(),
                base, log);

        long started = System.nanoTime();
        int exit = run(command, log, image);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("docker build of " + image + " failed (exit " + exit + "); the end of "
                    + log + ":\n" + tail(log) + "\n(a base image that cannot be pulled? set "
                    + SERVER.baseVariable() + " / " + TRAINER.baseVariable() + " to a local one, see README)");
        }
        String after = imageId(image);
        if (before != null && before.equals(after)) {
            System.out.printf(Locale.ROOT, "image %s: up to date (every layer from Docker's cache, %.1f s)%n", image,
                    seconds);
        } else {
            System.out.printf(Locale.ROOT, "image %s: built in %.0f s%n", image, seconds);
            if (before != null) {
                removeQuietly(before);
            }
        }
    }

    private static int run(List<String> command, Path log, String image) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(repositoryRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("DOCKER_BUILDKIT", "0");
        // The engine Testcontainers talks to, unless the environment already names one for the CLI.
        builder.environment().computeIfAbsent("DOCKER_HOST",
                unset -> DockerClientFactory.instance().getTransportConfig().getDockerHost().toString());
        try {
            Process process = builder.start();
            if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("docker build of " + image + " did not finish within " + BUILD_TIMEOUT
                        + "; the end of " + log + ":\n" + tail(log));
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run docker build for " + image + " (the container tests need the"
                    + " docker CLI on PATH)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + image, e);
        }
    }

    private static Path buildLog(String image) {
        String configured = System.getProperty(BUILD_LOG_DIR_PROPERTY);
        Path dir = Path.of(configured == null || configured.isBlank() ? System.getProperty("java.io.tmpdir") : configured);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir.resolve("docker-build-" + image.replaceAll("[^A-Za-z0-9.-]", "-") + ".log").toAbsolutePath();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The image's id, or null when Docker does not have it. */
    private static String imageId(String image) {
        try {
            return docker().inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** Removes an image a rebuild replaced; one that a container still uses stays. */
    private static void removeQuietly(String imageId) {
        try {
            docker().removeImageCmd(imageId).exec();
        } catch (DockerException e) {
            // In use, or already gone: either way nothing to do.
        }
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
