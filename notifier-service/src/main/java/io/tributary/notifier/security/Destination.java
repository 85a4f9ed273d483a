package io.tributary.notifier.security;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A checked destination: the URI as given and the addresses it resolved to, every one of them
 * allowed. Senders connect to {@link #pinned()} so a second DNS answer cannot redirect them.
 */
public record Destination(
        URI uri, String host, int port, boolean tls, List<InetAddress> addresses) {
    public InetAddress pinned() {
        return addresses.get(0);
    }
}
