package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Discrete;
import dev.gymlink.env.Env;
import dev.gymlink.env.Graph;
import dev.gymlink.env.GraphInstance;
import dev.gymlink.env.OneOf;
import dev.gymlink.env.Sequence;
import dev.gymlink.env.Space;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Text;
import dev.gymlink.env.Tuple;
import dev.gymlink.env.VectorEnv;
import dev.gymlink.env.random.NumpyRandom;
import dev.gymlink.testkit.EnvContract;
import dev.gymlink.testkit.PythonEnvServer;
import dev.gymlink.testkit.VectorEnvContract;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Graph, Sequence, OneOf and an unsorted Text through the real Python env server: the test-only echo
 * envs of {@code python-env-server/tests/structured_envs.py} (reset returns a seeded sample of the
 * space, each step returns its action), so every value crosses the wire both ways.
 */
class VariableSizeSpacesServerTest {

    private static final Box UNIT_PAIR = Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32);

    private static PythonEnvServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void startServer() {
        server = PythonEnvServer.startWithTestEnvs();
        channel = server.newChannel();
    }

    @AfterAll
    static void stopServer() {
        GymlinkChannels.shutdown(channel, Duration.ofSeconds(5));
        server.close();
    }

    private static RemoteEnv connect(String envId) {
        return RemoteEnv.connect(channel, EnvOptions.of(envId));
    }

    @Test
    void theClientReceivesEachSpaceAsGymnasiumDeclaresIt() {
        List<Space> expected = List.of(
                new Graph(UNIT_PAIR, new Discrete(3)),
                Graph.ofNodes(new Discrete(4, 1)),
                new Sequence(Tuple.of(new Discrete(5), Box.uniform(0, 1, new int[] {2}, DType.FLOAT32))),
                new Sequence(Box.uniform(-2, 2, new int[] {3}, DType.FLOAT64), true),
                OneOf.of(new Discrete(3), UNIT_PAIR, new Text(1, 4, "zyx")),
                new Text(0, 6, "zebra!"));
        List<String> ids = List.of("EchoGraph", "EchoNodesOnlyGraph", "EchoSequence", "EchoStackedSequence",
                "EchoOneOf", "EchoText");
        for (int i = 0; i < ids.size(); i++) {
            try (RemoteEnv env = connect("GymlinkTest/" + ids.get(i) + "-v0")) {
                assertEquals(expected.get(i), env.observationSpace(), ids.get(i));
                assertEquals(expected.get(i), env.actionSpace(), ids.get(i));
            }
        }
    }

    /** The server's reset returns Gymnasium's {@code Text(6, min_length=0, charset="zebra!", seed=s).sample()}. */
    @Test
    void seededJavaTextSamplesEqualGymnasiumsOnTheServer() {
        try (RemoteEnv env = connect("GymlinkTest/EchoText-v0")) {
            for (long seed = 0; seed < 20; seed++) {
                String gymnasium = (String) env.reset(seed).observation();
                assertEquals(gymnasium, env.observationSpace().sample(NumpyRandom.seeded(seed)), "seed " + seed);
            }
        }
    }

    @Test
    void graphsSequencesAndChoicesComeBackAsSent() {
        SplittableRandom rng = new SplittableRandom(5);
        for (String id : List.of("EchoGraph", "EchoNodesOnlyGraph", "EchoSequence", "EchoStackedSequence", "EchoOneOf")) {
            try (RemoteEnv env = connect("GymlinkTest/" + id + "-v0")) {
                env.reset(1);
                for (int i = 0; i < 2; i++) {
                    Object action = env.actionSpace().sample(rng);
                    StepResult step = env.step(action);
                    assertEquals(action, step.observation(), id);
                }
            }
        }
        try (RemoteEnv env = connect("GymlinkTest/EchoGraph-v0")) {
            GraphInstance observation = assertInstanceOf(GraphInstance.class, env.reset(3).observation());
            assertEquals(DType.FLOAT32, observation.nodes().dtype());
            assertTrue(env.observationSpace().contains(observation));
        }
    }

    @Test
    void vectorSessionsCarryOneElementPerEnv() {
        try (VectorEnv envs = RemoteVectorEnv.connect(channel, EnvOptions.of("GymlinkTest/EchoOneOf-v0"), 3)) {
            envs.reset(2);
            Object[] actions = {new OneOf.Choice(0, 2L), new OneOf.Choice(2, "zz"),
                    new OneOf.Choice(1, UNIT_PAIR.sample(new SplittableRandom(1)))};
            assertArrayEquals(actions, envs.step(actions).observations());
        }
    }

    /** The Env contract once per echo env: seeding, bad actions, episode ends, close. */
    abstract static class EchoContract extends EnvContract {

        abstract String name();

        @Override
        protected Env createEnv() {
            return connect(expectedEnvId());
        }

        @Override
        protected String expectedEnvId() {
            return "GymlinkTest/" + name() + "-v0";
        }
    }

    /** The VectorEnv contract: each copy of a vector session against a single session of the same echo env. */
    abstract static class EchoVectorContract extends VectorEnvContract {

        abstract String envId();

        @Override
        protected VectorEnv createVectorEnv(int numEnvs) {
            return RemoteVectorEnv.connect(channel, EnvOptions.of(envId()), numEnvs);
        }

        @Override
        protected Env createSingleEnv() {
            return connect(envId());
        }
    }

    @Nested
    class GraphVectorContract extends EchoVectorContract {
        @Override
        String envId() {
            return "GymlinkTest/EchoGraph-v0";
        }
    }

    @Nested
    class SequenceVectorContract extends EchoVectorContract {
        @Override
        String envId() {
            return "GymlinkTest/EchoSequence-v0";
        }
    }

    @Nested
    class GraphContract extends EchoContract {
        @Override
        String name() {
            return "EchoGraph";
        }
    }

    @Nested
    class NodesOnlyGraphContract extends EchoContract {
        @Override
        String name() {
            return "EchoNodesOnlyGraph";
        }
    }

    @Nested
    class SequenceContract extends EchoContract {
        @Override
        String name() {
            return "EchoSequence";
        }
    }

    @Nested
    class StackedSequenceContract extends EchoContract {
        @Override
        String name() {
            return "EchoStackedSequence";
        }
    }

    @Nested
    class OneOfContract extends EchoContract {
        @Override
        String name() {
            return "EchoOneOf";
        }
    }

    @Nested
    class TextContract extends EchoContract {
        @Override
        String name() {
            return "EchoText";
        }
    }
}
