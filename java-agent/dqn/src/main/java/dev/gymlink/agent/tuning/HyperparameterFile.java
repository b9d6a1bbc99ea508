package dev.gymlink.agent.tuning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A hyperparameter file: {@code {"envs": {"ENV-ID": {...entry...}, ...}}}, read from the classpath
 * or from bytes.
 */
public final class HyperparameterFile {

    private HyperparameterFile() {}

    /**
     * The bytes of a file bundled beside {@code owner}.
     *
     * @param kind what the file is, for the error when it is missing: "preset file", "hyperparameter file"
     */
    public static byte[] bundled(Class<?> owner, String resource, String kind) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the " + kind + " " + resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * The entries of the file's {@code envs} object, in file order.
     *
     * @param origin where the bytes came from, for error messages
     * @throws IllegalArgumentException when the bytes are not JSON or have no {@code envs} object
     */
    public static List<HyperparameterEntry> entries(byte[] json, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode envs = root == null ? null : root.get("envs");
        if (envs == null || !envs.isObject()) {
            throw new IllegalArgumentException(origin + " needs an \"envs\" object mapping env ids to entries");
        }
        List<HyperparameterEntry> entries = new ArrayList<>();
        envs.fields().forEachRemaining(field -> entries.add(
                new HyperparameterEntry(origin, field.getKey(), field.getValue())));
        return entries;
    }
}
