package dev.gymlink.env.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOptionsTest {

    @Test
    void backoffGrowsByTheMultiplierUpToTheCap() {
        ReconnectPolicy policy = new ReconnectPolicy(6, Duration.ofMillis(100), Duration.ofMillis(500), 2.0);
        List<Duration> waits = List.of(policy.backoffBefore(1), policy.backoffBefore(2), policy.backoffBefore(3),
                policy.backoffBefore(4), policy.backoffBefore(6));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500), Duration.ofMillis(500)), waits);
    }

    @Test
    void theDefaultPolicyWaitsLongEnoughForARestart() {
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt <= ReconnectPolicy.DEFAULT.maxAttempts(); attempt++) {
            total = total.plus(ReconnectPolicy.DEFAULT.backoffBefore(attempt));
        }
        assertTrue(total.compareTo(Duration.ofSeconds(10)) > 0 && total.compareTo(Duration.ofMinutes(1)) < 0,
                total.toString());
    }

    @Test
    void invalidPoliciesAreRefusedNamingTheValue() {
        var negative = assertThrows(IllegalArgumentException.class,
                () -> new ReconnectPolicy(-1, Duration.ZERO, Duration.ZERO, 1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), 2));
        var shrinking = assertThrows(IllegalArgumentException.class,
                () -> new ReconnectPolicy(1, Duration.ZERO, Duration.ZERO, 0.5));
        assertTrue(shrinking.getMessage().contains("0.5"), shrinking.getMessage());
    }

    @Test
    void optionsValidateAndKeepKwargOrder() {
        var blank = assertThrows(IllegalArgumentException.class, () -> EnvOptions.of(" "));
        assertTrue(blank.getMessage().contains("envId"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnvOptions.of("CartPole-v1").withMaxEpisodeSteps(0));
        var deadline = assertThrows(IllegalArgumentException.class,
                () -> EnvOptions.of("CartPole-v1").withRequestDeadline(Duration.ZERO));
        assertTrue(deadline.getMessage().contains("requestDeadline"), deadline.getMessage());
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("z", 1L);
        kwargs.put("a", 2L);
        assertEquals(List.of("z", "a"), List.copyOf(EnvOptions.of("X-v0").withKwargs(kwargs).kwargs().keySet()));
    }

    @Test
    void durationsReadNaturallyInMessages() {
        assertEquals("250 ms", RemoteSession.describe(Duration.ofMillis(250)));
        assertEquals("10 s", RemoteSession.describe(Duration.ofSeconds(10)));
        assertEquals("1.5 s", RemoteSession.describe(Duration.ofMillis(1500)));
    }
}
