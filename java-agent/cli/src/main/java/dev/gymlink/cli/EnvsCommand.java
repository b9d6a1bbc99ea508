package dev.gymlink.cli;

import dev.gymlink.env.EnvException;
import dev.gymlink.env.EnvSpec;
import dev.gymlink.env.remote.EnvCatalog;
import dev.gymlink.env.remote.RemoteEnvs;
import dev.gymlink.env.remote.ServerInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gymlink envs}: what an env server offers, from its {@code ListEnvs}. */
@Command(name = "envs", mixinStandardHelpOptions = true, description = "List the envs a gymlink env server offers, with their time limits and"
        + " reward thresholds, and facts about the server.")
final class EnvsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--server", paramLabel = "HOST:PORT", converter = ServerAddress.Converter.class,
            defaultValue = "${env:GYMLINK_SERVER:-localhost:50051}",
            description = "Env server to ask (default: ${DEFAULT-VALUE}; env var GYMLINK_SERVER).")
    ServerAddress server;

    @Override
    public Integer call() throws EnvException {
        PrintWriter out = spec.commandLine().getOut();
        try (Servers servers = Servers.open(List.of(server), connection.security())) {
            for (Servers.Server each : servers.servers()) {
                EnvCatalog catalog = RemoteEnvs.listEnvs(each.channel());
                print(each.label(), catalog, out);
            }
        }
        out.flush();
        return 0;
    }

    static void print(String serverLabel, EnvCatalog catalog, PrintWriter out) {
        ServerInfo info = catalog.server();
        out.printf(Locale.ROOT, "%s: gymlink_server %s (%s), gymnasium %s, python %s, %d/%d sessions in use%n",
                serverLabel, info.serverVersion(), info.protocolVersion(), info.gymnasiumVersion(), info.pythonVersion(),
                info.activeSessions(), info.maxSessions());
        out.println("capabilities: " + capabilities(info.capabilities()));
        int idWidth = Math.max(2, catalog.envs().stream().mapToInt(e -> e.spec().id().length()).max().orElse(2));
        String row = "%-" + idWidth + "s  %9s  %9s  %-16s  %s%n";
        out.printf(Locale.ROOT, row, "ID", "MAX STEPS", "THRESHOLD", "FAMILY", "NATIVE VECTOR");
        for (EnvCatalog.Entry entry : catalog.envs()) {
            EnvSpec envSpec = entry.spec();
            out.printf(Locale.ROOT, row, envSpec.id(),
                    envSpec.maxEpisodeSteps().isPresent() ? Integer.toString(envSpec.maxEpisodeSteps().getAsInt()) : "-",
                    envSpec.rewardThreshold().isPresent()
                            ? String.format(Locale.ROOT, "%.1f", envSpec.rewardThreshold().getAsDouble()) : "-",
                    envSpec.family(), entry.nativeVector() ? "yes" : "no");
        }
        out.printf(Locale.ROOT, "%d envs%n", catalog.envs().size());
        for (String unavailable : info.unavailableFamilies()) {
            out.println("not available on this server: " + unavailable);
        }
    }

    private static String capabilities(ServerInfo.Capabilities capabilities) {
        List<String> names = new ArrayList<>();
        if (capabilities.vector()) {
            names.add("vector");
        }
        if (capabilities.render()) {
            names.add("render");
        }
        if (capabilities.sameStepAutoreset()) {
            names.add("same-step autoreset");
        }
        if (capabilities.nextStepAutoreset()) {
            names.add("next-step autoreset");
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
