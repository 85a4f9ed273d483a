package io.tributary.notifier.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** {@link InetAddress#getAllByName}: every A and AAAA record of the name. */
@ApplicationScoped
@DefaultBean
public class SystemAddressResolver implements AddressResolver {
    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}
