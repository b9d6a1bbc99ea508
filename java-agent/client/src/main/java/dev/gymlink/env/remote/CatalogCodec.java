package dev.gymlink.env.remote;

import dev.gymlink.env.EnvSpec;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** What a server says about itself and its envs: env specs, server facts, the env catalog. */
final class CatalogCodec {

    private CatalogCodec() {}

    static EnvSpec fromProto(dev.gymlink.proto.v1.EnvSpec spec) {
        OptionalInt maxEpisodeSteps = spec.hasMaxEpisodeSteps()
                ? OptionalInt.of(Math.toIntExact(spec.getMaxEpisodeSteps()))
                : OptionalInt.empty();
        OptionalDouble rewardThreshold = spec.hasRewardThreshold()
                ? OptionalDouble.of(spec.getRewardThreshold())
                : OptionalDouble.empty();
        return new EnvSpec(spec.getId(), maxEpisodeSteps, rewardThreshold, spec.getNondeterministic(),
                spec.getEntryPoint(), spec.getFamily());
    }

    static ServerInfo fromProto(dev.gymlink.proto.v1.ServerInfo info) {
        dev.gymlink.proto.v1.Capabilities capabilities = info.getCapabilities();
        return new ServerInfo(
                info.getServerVersion(),
                info.getProtocolVersion(),
                info.getGymnasiumVersion(),
                info.getPythonVersion(),
                new ServerInfo.Capabilities(capabilities.getVector(), capabilities.getRender(),
                        capabilities.getSameStepAutoreset(), capabilities.getNextStepAutoreset()),
                info.getMaxSessions(),
                info.getMaxMessageBytes(),
                info.getActiveSessions(),
                info.getUnavailableFamiliesList());
    }

    static EnvCatalog fromProto(dev.gymlink.proto.v1.ListEnvsResponse response) {
        List<EnvCatalog.Entry> envs = response.getEnvsList().stream()
                .map(spec -> new EnvCatalog.Entry(fromProto(spec), spec.getNativeVector()))
                .toList();
        return new EnvCatalog(envs, fromProto(response.getServer()));
    }
}
