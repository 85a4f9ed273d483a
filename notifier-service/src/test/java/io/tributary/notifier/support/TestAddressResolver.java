package io.tributary.notifier.support;

import io.tributary.notifier.security.AddressResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces the system resolver in tests: names put in {@link #MAP} resolve to the given addresses
 * (no DNS needed for "a name resolving to 10.0.0.1"), everything else goes to the system.
 */
@ApplicationScoped
public class TestAddressResolver implements AddressResolver {
    public static final Map<String, List<String>> MAP = new ConcurrentHashMap<>();

    /** A public-looking name for subscriptions that are saved but never sent to. */
    public static final String PUBLIC_NAME = "hooks.example.test";

    static {
        MAP.put(PUBLIC_NAME, List.of("93.184.216.34"));
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<String> mapped = MAP.get(host);
        if (mapped == null) {
            return List.of(InetAddress.getAllByName(host));
        }
        List<InetAddress> result = new java.util.ArrayList<>();
        for (String ip : mapped) {
            result.add(InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress()));
        }
        return result;
    }
}
