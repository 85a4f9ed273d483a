package io.tributary.notifier.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to every address it has. Production asks the system resolver; tests replace
 * the bean to map names (e.g. a name resolving to 10.0.0.1) without DNS.
 */
public interface AddressResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
