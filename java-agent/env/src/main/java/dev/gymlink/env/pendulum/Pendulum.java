package dev.gymlink.env.pendulum;

import dev.gymlink.env.Box;
import dev.gymlink.env.DType;
import dev.gymlink.env.Env;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.EnvStateException;
import dev.gymlink.env.EpisodeLifecycle;
import dev.gymlink.env.InvalidArgumentException;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.ResetResult;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.StepResult;
import dev.gymlink.env.Tensor;
import dev.gymlink.env.cartpole.LibmTrig;
import dev.gymlink.env.random.NumpyRandom;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Pendulum-v1, the inverted pendulum swing-up, with the dynamics, limits, seeding and time limit of
 * Gymnasium's {@code gym.make("Pendulum-v1")}: the same seed and the same actions give the same
 * float32 observations and flags, bit for bit, and the same float64 rewards but for the last bit
 * in about one step in a thousand (see the differences below).
 *
 * <p>A pendulum hangs from a fixed pivot; its free end starts at a random angle. The goal is to
 * swing it up and hold it upright by applying a torque at the pivot, using as little torque as possible.
 *
 * <h2>Action space</h2>
 * {@code Box(-2.0, 2.0, (1,), float32)}: the torque applied at the pivot, in N·m.
 *
 * <h2>Observation space</h2>
 * {@code Box([-1. -1. -8.], [1. 1. 8.], (3,), float32)}:
 * <table>
 *   <caption>Observation</caption>
 *   <tr><th>index</th><th>observation</th><th>unit</th><th>min</th><th>max</th></tr>
 *   <tr><td>0</td><td>cos(theta)</td><td></td><td>-1</td><td>1</td></tr>
 *   <tr><td>1</td><td>sin(theta)</td><td></td><td>-1</td><td>1</td></tr>
 *   <tr><td>2</td><td>angular velocity</td><td>rad/s</td><td>-8</td><td>8</td></tr>
 * </table>
 * theta is the angle from upright (0 is up), counter-clockwise positive.
 *
 * <h2>Rewards</h2>
 * {@code -(normalize(theta)^2 + 0.1 * thetaDot^2 + 0.001 * torque^2)}, with theta normalised to
 * [-pi, pi) and computed before the step's update: at most 0 (upright, still, no torque), at least
 * about -16.27 per step. An episode's return is thus between about -3254 and 0.
 *
 * <h2>Starting state</h2>
 * theta uniform in [-pi, pi), thetaDot uniform in [-1, 1), drawn (in that order) by numpy's PCG64
 * generator seeded as Gymnasium seeds it ({@link NumpyRandom}). The reset options {@code x_init}
 * and {@code y_init} (numbers) replace the bounds pi and 1, as in Gymnasium.
 *
 * <h2>Episode end</h2>
 * Never terminated; truncated after {@value #MAX_EPISODE_STEPS} steps (Gymnasium's TimeLimit). A
 * value function must therefore bootstrap through the truncation.
 *
 * <h2>Differences from Gymnasium</h2>
 * <ul>
 *   <li>A step after the truncation, or before the first reset, throws {@link EnvStateException},
 *       as the gymlink env server does.</li>
 *   <li>An action outside the space (out of [-2, 2], NaN, wrong shape or type) throws
 *       {@link InvalidArgumentException} naming it and leaves the env as it was; Gymnasium clips it
 *       silently, the env server refuses it.</li>
 *   <li>Unknown reset options are rejected, not ignored.</li>
 *   <li>Frames are drawn with Java2D: Gymnasium's rgb_array layout and colours, not its pixels, and
 *       without its torque arrow. Any Pendulum renders on request.</li>
 *   <li>The reward squares with a multiplication; Gymnasium's {@code x**2} on numpy scalars calls
 *       libm's {@code pow}/{@code powf}, which round a square differently in about one case in a
 *       thousand (measured: 17 and 20 in 20,000), so such a step's reward differs by one ulp of a
 *       cost term (up to about 2e-10). The dynamics square nothing, so states and observations
 *       stay exact.</li>
 * </ul>
 *
 * <p>Not thread-safe.
 */
public final class Pendulum implements Env {

    public static final String ID = "Pendulum-v1";
    public static final int MAX_EPISODE_STEPS = 200;

    public static final double GRAVITY_METRES_PER_SECOND_SQUARED = 10.0;
    public static final double MASS_KILOGRAMS = 1.0;
    public static final double LENGTH_METRES = 1.0;
    /** Time between state updates (one semi-implicit Euler step). */
    public static final double SECONDS_PER_STEP = 0.05;
    public static final double MAX_SPEED_RADIANS_PER_SECOND = 8;
    public static final double MAX_TORQUE_NEWTON_METRES = 2.0;
    /** Default bound of the initial angle, (-pi, pi). */
    public static final double INITIAL_ANGLE_BOUND = Math.PI;
    /** Default bound of the initial angular velocity, (-1, 1). */
    public static final double INITIAL_SPEED_BOUND = 1.0;

    private static final Box ACTION_SPACE = Box.uniform(-MAX_TORQUE_NEWTON_METRES, MAX_TORQUE_NEWTON_METRES,
            new int[] {1}, DType.FLOAT32);
    private static final Box OBSERVATION_SPACE = new Box(new int[] {3}, DType.FLOAT32,
            new double[] {-1, -1, -MAX_SPEED_RADIANS_PER_SECOND}, new double[] {1, 1, MAX_SPEED_RADIANS_PER_SECOND});
    private static final int[] OBSERVATION_SHAPE = {3};
    private static final List<String> RESET_OPTIONS = List.of("x_init", "y_init");

    private final int maxEpisodeSteps;
    private final EnvSpec spec;
    private final LibmTrig trig = LibmTrig.NATIVE;

    private final EpisodeLifecycle episode = new EpisodeLifecycle(ID);
    private double theta;
    private double thetaDot;

    /** {@code gym.make("Pendulum-v1")}. */
    public Pendulum() {
        this(MAX_EPISODE_STEPS);
    }

    /** {@code gym.make("Pendulum-v1", max_episode_steps=maxEpisodeSteps)}. */
    public Pendulum(int maxEpisodeSteps) {
        if (maxEpisodeSteps <= 0) {
            throw new IllegalArgumentException("maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
        // Gymnasium registers no reward threshold for Pendulum-v1.
        this.spec = new EnvSpec(ID, OptionalInt.of(maxEpisodeSteps), OptionalDouble.empty(), false,
                Pendulum.class.getName(), "classic_control");
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Box observationSpace() {
        return OBSERVATION_SPACE;
    }

    @Override
    public Box actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public ResetResult reset(OptionalLong seed, Map<String, Object> resetOptions) throws EnvStateException,
            InvalidArgumentException {
        episode.checkOpen();
        double angleBound = INITIAL_ANGLE_BOUND;
        double speedBound = INITIAL_SPEED_BOUND;
        if (resetOptions != null && !resetOptions.isEmpty()) {
            episode.refuseUnknownOptions(resetOptions, RESET_OPTIONS);
            angleBound = boundOption(resetOptions, "x_init", angleBound);
            speedBound = boundOption(resetOptions, "y_init", speedBound);
        }
        NumpyRandom random = episode.random(seed);
        // np_random.uniform(low=-high, high=high) draws the array's elements in order.
        theta = random.uniform(-angleBound, angleBound);
        thetaDot = random.uniform(-speedBound, speedBound);
        episode.started();
        return new ResetResult(observation(), Map.of());
    }

    @Override
    public StepResult step(Object action) throws EnvStateException, InvalidArgumentException {
        episode.checkOpen();
        episode.requireRunning();
        if (!ACTION_SPACE.contains(action)) {
            throw new InvalidArgumentException(
                    "action " + PythonRepr.describeValue(action) + " is not in " + ACTION_SPACE);
        }
        // The action arrives as a float32 array, so numpy keeps u, u**2 and 3.0 * u in float32 (NEP 50:
        // Python floats do not widen a float32 scalar); everything else is float64. Same order as Gymnasium.
        float u = (float) ((Tensor) action).data()[0];
        float uSquared = u * u;
        double costs = square(angleNormalize(theta)) + 0.1 * (thetaDot * thetaDot) + (double) (0.001f * uSquared);
        float torqueTerm = (float) (3.0 / (MASS_KILOGRAMS * (LENGTH_METRES * LENGTH_METRES))) * u;
        double newThetaDot = thetaDot + (3 * GRAVITY_METRES_PER_SECOND_SQUARED / (2 * LENGTH_METRES)
                * trig.sin(theta) + torqueTerm) * SECONDS_PER_STEP;
        newThetaDot = Math.min(Math.max(newThetaDot, -MAX_SPEED_RADIANS_PER_SECOND), MAX_SPEED_RADIANS_PER_SECOND);
        theta = theta + newThetaDot * SECONDS_PER_STEP;
        thetaDot = newThetaDot;
        boolean truncated = episode.stepped() >= maxEpisodeSteps;
        if (truncated) {
            episode.ended();
        }
        return new StepResult(observation(), -costs, false, truncated, Map.of());
    }

    /** The state in float64, as Gymnasium keeps it: angle (not normalised) and angular velocity. */
    public double[] state() throws EnvStateException {
        episode.checkOpen();
        episode.requireState("state");
        return new double[] {theta, thetaDot};
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return episode.elapsedSteps();
    }

    @Override
    public RgbFrame render() throws EnvStateException {
        episode.checkOpen();
        episode.requireState("render");
        return PendulumRenderer.render(theta);
    }

    @Override
    public void close() {
        episode.close();
    }

    @Override
    public String toString() {
        return "Pendulum<" + ID + ">";
    }

    /** Gymnasium's {@code ((x + pi) % (2 * pi)) - pi}, with numpy's floor modulo (the divisor's sign). */
    static double angleNormalize(double x) {
        double divisor = 2 * Math.PI;
        double remainder = (x + Math.PI) % divisor;
        if (remainder != 0 && remainder < 0) {
            remainder += divisor;
        } else if (remainder == 0) {
            remainder = 0.0;
        }
        return remainder - Math.PI;
    }

    private static double square(double x) {
        return x * x;
    }

    private Tensor observation() {
        return new Tensor(DType.FLOAT32, OBSERVATION_SHAPE,
                new double[] {(float) trig.cos(theta), (float) trig.sin(theta), (float) thetaDot});
    }

    private static double boundOption(Map<String, Object> options, String key, double fallback)
            throws InvalidArgumentException {
        if (!options.containsKey(key)) {
            return fallback;
        }
        Object value = options.get(key);
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw new InvalidArgumentException(
                    "reset option " + key + " must be a finite number, got " + PythonRepr.describeValue(value));
        }
        return number.doubleValue();
    }
}
