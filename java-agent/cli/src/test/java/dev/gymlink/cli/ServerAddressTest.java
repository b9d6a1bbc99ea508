package dev.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void parsesTheFormsUsersWrite() {
        assertEquals(new ServerAddress("localhost", 50051), ServerAddress.parse("localhost:50051"));
        assertEquals(new ServerAddress("env-server", 50051), ServerAddress.parse("env-server"));
        assertEquals(new ServerAddress("10.0.0.7", 6000), ServerAddress.parse(" 10.0.0.7:6000 "));
        assertEquals(new ServerAddress("::1", 50051), ServerAddress.parse("[::1]:50051"));
        assertEquals("[::1]:50051", ServerAddress.parse("[::1]").target());
        assertEquals("unix:///run/gymlink/env.sock", ServerAddress.parse("unix:///run/gymlink/env.sock").target());
        assertEquals(1, Servers.addressCount(ServerAddress.parse("unix:env.sock")));
    }

    @Test
    void badAddressesAreRefusedWithTheValue() {
        for (String bad : List.of("host:port", ":50051", "host:0", "host:70000", "::1", "[::1", "[::1]x",
                "unix://box/env.sock", "unix:")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(bad));
            assertTrue(error.getMessage().contains("'" + bad + "'"), bad + " -> " + error.getMessage());
        }
    }

    @Test
    void copiesAreSpreadRoundRobin() {
        assertArrayEquals(new int[] {4}, Servers.spread(4, 1));
        assertArrayEquals(new int[] {2, 2}, Servers.spread(4, 2));
        assertArrayEquals(new int[] {3, 2, 2}, Servers.spread(7, 3));
        CliException error = assertThrows(CliException.class, () -> Servers.spread(1, 2));
        assertTrue(error.getMessage().contains("--num-envs 2"), error.getMessage());
    }

    @Test
    void aNameThatDoesNotResolveCountsAsOneServer() {
        assertEquals(1, Servers.addressCount(new ServerAddress("no-such-host.invalid", 50051)));
        assertEquals(1, Servers.addressCount(ServerAddress.parse("127.0.0.1:1")));
    }

    @Test
    void duplicateServersCountOnce() {
        List<ServerAddress> distinct = Servers.distinct(List.of(ServerAddress.parse("127.0.0.1:1"),
                ServerAddress.parse("127.0.0.1:1"), ServerAddress.parse("127.0.0.1:2")));
        assertEquals(List.of("127.0.0.1:1", "127.0.0.1:2"), distinct.stream().map(ServerAddress::target).toList());
    }
}
