package dev.gymlink.train;

import dev.gymlink.agent.mlp.NetworkBackend;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.gymlink.agent.dqn.DqnConfig;
import dev.gymlink.env.EnvSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a trained agent came from, as a Tribuo/OLCUT {@link ObjectProvenance}: env id and
 * registry spec, seed, every config value, the backend used, library versions, the remote
 * server's and Gymnasium's versions when training over the wire, and the git commit of the
 * working tree when there is one. Saved as readable JSON beside each checkpoint's weights, and
 * marshallable with OLCUT's serialisers like any Tribuo model provenance.
 */
public final class RunProvenance implements ObjectProvenance {

    public static final String ENV_ID = "env-id";
    public static final String ALGORITHM = "algorithm";
    public static final String ENV_SPEC = "env-spec";
    public static final String SEED = "seed";
    public static final String CONFIG = "config";
    public static final String BACKEND = "backend";
    public static final String LIBRARIES = "library-versions";
    public static final String REMOTE = "remote-versions";
    public static final String GIT_COMMIT = "git-commit";
    public static final String CREATED = "created";
    /** The greedy evaluation that made a checkpoint the run's best (only in {@code checkpoints/best}). */
    public static final String EVALUATION = "evaluation";

    private final Map<String, Provenance> values;

    /** The constructor OLCUT's unmarshalling calls; also usable directly. */
    public RunProvenance(Map<String, Provenance> values) {
        this.values = new LinkedHashMap<>(values);
        for (String required : new String[] {ENV_ID, SEED, CONFIG}) {
            if (!this.values.containsKey(required)) {
                throw new IllegalArgumentException("run provenance lacks " + required + ": " + this.values.keySet());
            }
        }
    }

    /**
     * Provenance of a run.
     *
     * @param spec the env's registry spec
     * @param config the run's config
     * @param backend the network backend actually used
     * @param remoteVersions e.g. {@code server -> 0.1.0, gymnasium -> 1.3.0}; empty for a local env
     * @param gitCommit commit of the code that trained, if known
     */
    public static RunProvenance of(EnvSpec spec, DqnConfig config, NetworkBackend backend,
            Map<String, String> remoteVersions, Optional<String> gitCommit) {
        return of(spec, Checkpoints.DQN, config, config.seed(), backend.name(), remoteVersions, gitCommit);
    }

    /**
     * Provenance of a run of any algorithm.
     *
     * @param algorithm e.g. {@code dqn}, {@code sac}
     * @param config the run's config record, recorded component by component
     * @param seed its root seed
     * @param backend the network backend actually used
     */
    public static RunProvenance of(EnvSpec spec, String algorithm, Record config, long seed, String backend,
            Map<String, String> remoteVersions, Optional<String> gitCommit) {
        Map<String, Provenance> values = new LinkedHashMap<>();
        values.put(ENV_ID, new StringProvenance(ENV_ID, spec.id()));
        values.put(ALGORITHM, new StringProvenance(ALGORITHM, algorithm));
        Map<String, StringProvenance> specValues = new LinkedHashMap<>();
        putString(specValues, "max-episode-steps", spec.maxEpisodeSteps().isPresent()
                ? Integer.toString(spec.maxEpisodeSteps().getAsInt()) : "none");
        putString(specValues, "reward-threshold", spec.rewardThreshold().isPresent()
                ? Double.toString(spec.rewardThreshold().getAsDouble()) : "none");
        putString(specValues, "nondeterministic", Boolean.toString(spec.nondeterministic()));
        putString(specValues, "entry-point", spec.entryPoint());
        putString(specValues, "family", spec.family());
        values.put(ENV_SPEC, new MapProvenance<>(specValues));
        values.put(SEED, new LongProvenance(SEED, seed));
        Map<String, StringProvenance> configValues = new LinkedHashMap<>();
        for (RecordComponent component : config.getClass().getRecordComponents()) {
            try {
                putString(configValues, component.getName(), String.valueOf(component.getAccessor().invoke(config)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read config component " + component.getName(), e);
            }
        }
        values.put(CONFIG, new MapProvenance<>(configValues));
        values.put(BACKEND, new StringProvenance(BACKEND, backend));
        values.put(LIBRARIES, new MapProvenance<>(libraryVersions()));
        Map<String, StringProvenance> remote = new LinkedHashMap<>();
        remoteVersions.forEach((name, version) -> putString(remote, name, version));
        values.put(REMOTE, new MapProvenance<>(remote));
        values.put(GIT_COMMIT, new StringProvenance(GIT_COMMIT, gitCommit.orElse("unknown")));
        values.put(CREATED, new StringProvenance(CREATED, OffsetDateTime.now(ZoneOffset.UTC).toString()));
        return new RunProvenance(values);
    }

    /**
     * This provenance plus the greedy evaluation a checkpoint was chosen by: its env step, mean,
     * standard deviation, min, max and episode count.
     */
    public RunProvenance withEvaluation(TrainingListener.EvaluationEnd evaluation) {
        Map<String, StringProvenance> values = new LinkedHashMap<>();
        putString(values, "env-step", Long.toString(evaluation.envStep()));
        putString(values, "mean-return", Double.toString(evaluation.meanReturn()));
        putString(values, "std-return", Double.toString(evaluation.stdReturn()));
        putString(values, "min-return", Double.toString(evaluation.minReturn()));
        putString(values, "max-return", Double.toString(evaluation.maxReturn()));
        putString(values, "episodes", Integer.toString(evaluation.episodes()));
        Map<String, Provenance> all = new LinkedHashMap<>(this.values);
        all.put(EVALUATION, new MapProvenance<>(values));
        return new RunProvenance(all);
    }

    private static void putString(Map<String, StringProvenance> map, String key, String value) {
        map.put(key, new StringProvenance(key, Objects.requireNonNullElse(value, "null")));
    }

    private static Map<String, StringProvenance> libraryVersions() {
        Map<String, StringProvenance> versions = new LinkedHashMap<>();
        putString(versions, "java", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        putString(versions, "gymlink", implementationVersion(RunProvenance.class));
        putString(versions, "tribuo", org.tribuo.Tribuo.VERSION);
        // Named, not imported: gRPC and ND4J are on the class path only when the run uses them.
        putString(versions, "protobuf-java", mavenVersion("com.google.protobuf.Message", "com.google.protobuf",
                "protobuf-java"));
        putString(versions, "grpc-java", mavenVersion("io.grpc.Channel", "io.grpc", "grpc-api"));
        putString(versions, "nd4j", mavenVersion("org.nd4j.linalg.factory.Nd4j", "org.nd4j", "nd4j-api"));
        putString(versions, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return versions;
    }

    private static String implementationVersion(Class<?> type) {
        return Optional.ofNullable(type.getPackage().getImplementationVersion()).orElse("unknown");
    }

    /**
     * A library's version, read from the jar that holds {@code type}: its Maven metadata, else its
     * manifest, else the jar's file name. Asking the class's own jar matters: other jars shade
     * copies (ND4J carries an old protobuf's metadata). The class is loaded without initialising
     * it, so no native backend loads; "absent" when it is not on the class path.
     */
    private static String mavenVersion(String className, String groupId, String artifactId) {
        Class<?> type;
        try {
            type = Class.forName(className, false, RunProvenance.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "absent";
        }
        try {
            var source = type.getProtectionDomain().getCodeSource();
            if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
                return "unknown";
            }
            Path jarPath = Path.of(source.getLocation().toURI());
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(jarPath.toFile())) {
                var entry = jar.getEntry("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties");
                if (entry != null) {
                    try (var in = jar.getInputStream(entry)) {
                        java.util.Properties values = new java.util.Properties();
                        values.load(in);
                        return values.getProperty("version", "unknown");
                    }
                }
                var manifest = jar.getManifest();
                if (manifest != null) {
                    for (String key : new String[] {"Bundle-Version", "Implementation-Version"}) {
                        String version = manifest.getMainAttributes().getValue(key);
                        if (version != null) {
                            return version;
                        }
                    }
                }
            }
            String fileName = jarPath.getFileName().toString();
            String prefix = artifactId + "-";
            return fileName.startsWith(prefix) ? fileName.substring(prefix.length(), fileName.length() - 4) : "unknown";
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The commit checked out in the git work tree containing {@code start}, read from {@code .git}
     * files (no git process); empty outside a work tree.
     */
    public static Optional<String> gitCommit(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (!Files.isDirectory(git)) {
                continue;
            }
            try {
                String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
                if (!head.startsWith("ref: ")) {
                    return Optional.of(head);
                }
                String ref = head.substring(5);
                Path loose = git.resolve(ref);
                if (Files.exists(loose)) {
                    return Optional.of(Files.readString(loose, StandardCharsets.UTF_8).trim());
                }
                Path packed = git.resolve("packed-refs");
                if (Files.exists(packed)) {
                    for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                        if (line.endsWith(" " + ref)) {
                            return Optional.of(line.substring(0, line.indexOf(' ')));
                        }
                    }
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A value by key, e.g. {@link #ENV_ID}. */
    public Optional<Provenance> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Pretty-printed JSON of all values (nested maps for the env spec, config and versions). */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(ProvenanceUtil.convertToMap(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String getClassName() {
        return RunProvenance.class.getName();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        return values.entrySet().stream().map(e -> new Pair<>(e.getKey(), e.getValue())).iterator();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RunProvenance p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return generateString("RunProvenance");
    }
}
