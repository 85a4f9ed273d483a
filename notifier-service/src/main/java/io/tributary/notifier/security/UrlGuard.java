package io.tributary.notifier.security;

import io.tributary.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether an outbound destination may be contacted (SSRF guard), at save and again at send:
 *
 * <ul>
 *   <li>the scheme is https; http only for a host (and port, when the entry names one) on the
 *       explicit allow-list;
 *   <li>no user info in the URL;
 *   <li>every address the host resolves to is public: loopback, unspecified, private (RFC 1918,
 *       ULA), carrier-grade NAT, link-local (incl. the 169.254.169.254 metadata service),
 *       multicast, documentation, benchmarking and reserved ranges are refused, also when they hide
 *       in IPv4-mapped, NAT64 or 6to4 IPv6 addresses;
 *   <li>allow-listed hosts skip the address check (that is what the allow-list is for: local
 *       receivers on 127.0.0.1 in tests and local runs).
 * </ul>
 *
 * The returned {@link Destination} carries the checked addresses; senders connect to one of them,
 * never resolving the name again.
 */
@ApplicationScoped
public class UrlGuard {
    private static final Set<String> METADATA_NAMES =
            Set.of("metadata.google.internal", "metadata.goog", "metadata", "instance-data");

    private final AddressResolver resolver;
    private final Set<AllowEntry> allowList;

    /**
     * An allow-list entry: a host, optionally with a port ({@code 127.0.0.1:9090}, {@code
     * [::1]:9090}); without one, every port of the host.
     */
    record AllowEntry(String host, int port) {
        static final int ANY_PORT = -1;

        static AllowEntry parse(String raw) {
            String entry = raw.trim();
            int colon = entry.lastIndexOf(':');
            boolean bracketed = entry.startsWith("[");
            boolean hasPort =
                    colon > 0
                            && (bracketed
                                    ? entry.charAt(colon - 1) == ']'
                                    : entry.indexOf(':') == colon);
            if (!hasPort) {
                return new AllowEntry(normalizeHost(entry), ANY_PORT);
            }
            String port = entry.substring(colon + 1);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("bad port in allow-list entry " + raw);
            }
            return new AllowEntry(normalizeHost(entry.substring(0, colon)), Integer.parseInt(port));
        }

        boolean allows(String host, int port) {
            return this.host.equals(host) && (this.port == ANY_PORT || this.port == port);
        }
    }

    @Inject
    public UrlGuard(AddressResolver resolver, NotifierConfig config) {
        this(resolver, config.httpAllowList());
    }

    public UrlGuard(AddressResolver resolver, Collection<String> allowList) {
        this.resolver = resolver;
        this.allowList =
                allowList.stream()
                        .filter(h -> !h.isBlank() && !h.trim().equalsIgnoreCase("none"))
                        .map(AllowEntry::parse)
                        .collect(Collectors.toUnmodifiableSet());
    }

    /** Checks an http(s) URL and resolves its host. */
    public Destination check(String url) throws UnsafeDestinationException {
        if (url == null || url.isBlank()) {
            throw new UnsafeDestinationException("a URL is required");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new UnsafeDestinationException("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : normalizeHost(uri.getHost());
        if (host.isEmpty()) {
            throw new UnsafeDestinationException("the URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new UnsafeDestinationException("credentials in the URL are not allowed");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        boolean allowListed = allowListed(host, port);
        if (scheme.equals("http")) {
            if (!allowListed) {
                throw new UnsafeDestinationException(
                        "http is only allowed for allow-listed hosts and ports; use https for "
                                + host);
            }
        } else if (!scheme.equals("https")) {
            throw new UnsafeDestinationException("only https URLs are allowed");
        }
        return new Destination(uri, host, port, tls, resolve(host, allowListed));
    }

    /** Checks a host and port that is not a URL (an SMTP server). */
    public Destination checkHost(String rawHost, int port, boolean tls)
            throws UnsafeDestinationException {
        String host = rawHost == null ? "" : normalizeHost(rawHost);
        if (host.isEmpty()) {
            throw new UnsafeDestinationException("a host is required");
        }
        if (port <= 0 || port > 65535) {
            throw new UnsafeDestinationException("bad port " + port);
        }
        return new Destination(
                URI.create((tls ? "smtps" : "smtp") + "://" + bracket(host) + ":" + port),
                host,
                port,
                tls,
                resolve(host, allowListed(host, port)));
    }

    private List<InetAddress> resolve(String host, boolean allowListed)
            throws UnsafeDestinationException {
        if (!allowListed && METADATA_NAMES.contains(host)) {
            throw new UnsafeDestinationException(host + " is a cloud metadata service");
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new UnsafeDestinationException("cannot resolve " + host);
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new UnsafeDestinationException("cannot resolve " + host);
        }
        if (!allowListed) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new UnsafeDestinationException(
                            host
                                    + " resolves to a non-public address ("
                                    + address.getHostAddress()
                                    + ")");
                }
            }
        }
        return List.copyOf(addresses);
    }

    /** True for an address that belongs to the public internet. */
    public static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b, 0);
        }
        if (address instanceof Inet6Address) {
            return isPublicV6(b);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b, int o) {
        int a0 = b[o] & 0xff;
        int a1 = b[o + 1] & 0xff;
        int a2 = b[o + 2] & 0xff;
        if (a0 == 0 || a0 == 10 || a0 == 127) {
            return false; // this network, private, loopback
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return false; // carrier-grade NAT 100.64/10
        }
        if (a0 == 169 && a1 == 254) {
            return false; // link-local, incl. the 169.254.169.254 metadata service
        }
        if (a0 == 172 && a1 >= 16 && a1 <= 31) {
            return false; // private 172.16/12
        }
        if (a0 == 192 && a1 == 168) {
            return false; // private 192.168/16
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return false; // IETF protocol assignments, TEST-NET-1
        }
        if (a0 == 192 && a1 == 88 && a2 == 99) {
            return false; // 6to4 relay anycast
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return false; // benchmarking 198.18/15
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return false; // TEST-NET-2, TEST-NET-3
        }
        return a0 < 224; // multicast 224/4, reserved 240/4, broadcast
    }

    private static boolean isPublicV6(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isPublicV4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
        }
        if (firstTenZero && b[10] == 0 && b[11] == 0) {
            return false; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) {
                wellKnown &= b[i] == 0;
            }
            // NAT64 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is local use.
            return wellKnown && isPublicV4(b, 12);
        }
        if (w0 == 0x0100 && w1 == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return false; // discard-only 100::/64
        }
        if (w0 == 0x2001 && w1 < 0x0200) {
            return false; // IETF protocol assignments 2001::/23 (Teredo, ORCHID, ...)
        }
        if (w0 == 0x2001 && w1 == 0x0db8) {
            return false; // documentation
        }
        if (w0 == 0x2002) {
            return isPublicV4(b, 2); // 6to4 carries an IPv4 address
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return false; // unique local fc00::/7 (incl. fd00:ec2::254 metadata)
        }
        if ((w0 & 0xffc0) == 0xfe80 || (w0 & 0xffc0) == 0xfec0) {
            return false; // link-local, site-local
        }
        return (w0 & 0xff00) != 0xff00; // multicast
    }

    static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private boolean allowListed(String host, int port) {
        return allowList.stream().anyMatch(e -> e.allows(host, port));
    }

    private static String bracket(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
