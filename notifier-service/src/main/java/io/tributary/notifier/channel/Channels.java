package io.tributary.notifier.channel;

import io.tributary.notifier.subscription.ChannelType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;

/** Every channel by type. */
@ApplicationScoped
public class Channels {
    private final Map<ChannelType, Channel> byType = new EnumMap<>(ChannelType.class);

    @Inject
    public Channels(Instance<Channel> channels) {
        for (Channel channel : channels) {
            byType.put(channel.type(), channel);
        }
    }

    public Channel get(ChannelType type) {
        Channel channel = byType.get(type);
        if (channel == null) {
            throw new IllegalStateException("no channel " + type);
        }
        return channel;
    }
}
