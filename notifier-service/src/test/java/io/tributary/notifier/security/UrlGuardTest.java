package io.tributary.notifier.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlGuardTest {
    /** Names resolve from this map only; IP literals parse as usual. */
    static final Map<String, List<String>> DNS =
            Map.of(
                    "hooks.slack.com", List.of("34.1.2.3", "2600:1f18::1"),
                    "internal.corp", List.of("10.0.0.1"),
                    "mixed.corp", List.of("34.1.2.3", "192.168.1.5"),
                    "receiver.local", List.of("127.0.0.1"));

    static final AddressResolver RESOLVER =
            host -> {
                List<String> ips = DNS.get(host);
                if (ips == null) {
                    if (host.matches("[0-9.]+") || host.contains(":")) {
                        return List.of(InetAddress.getByName(host));
                    }
                    throw new UnknownHostException(host);
                }
                List<InetAddress> result = new ArrayList<>();
                for (String ip : ips) {
                    result.add(InetAddress.getByName(ip));
                }
                return result;
            };

    final UrlGuard guard = new UrlGuard(RESOLVER, List.of("receiver.local"));

    @Test
    void publicHttpsIsAllowedAndPinnedToTheCheckedAddress() throws Exception {
        Destination d = guard.check("https://hooks.slack.com/services/T/B/x");
        assertThat(d.host()).isEqualTo("hooks.slack.com");
        assertThat(d.port()).isEqualTo(443);
        assertThat(d.tls()).isTrue();
        assertThat(d.pinned().getHostAddress()).isEqualTo("34.1.2.3");
        assertThat(d.addresses()).hasSize(2);
    }

    @Test
    void allowListedHostsMayUseHttpAndLocalAddresses() throws Exception {
        Destination d = guard.check("http://receiver.local:8080/hook");
        assertThat(d.tls()).isFalse();
        assertThat(d.port()).isEqualTo(8080);
        assertThat(d.pinned().isLoopbackAddress()).isTrue();
    }

    /**
     * An entry with a port allows that port only: the demo's receiver, not the services' own APIs
     * on the same address.
     */
    @Test
    void anAllowListEntryWithAPortAllowsThatPortOnly() throws Exception {
        UrlGuard receiverOnly =
                new UrlGuard(RESOLVER, List.of("127.0.0.1:9090", "[::1]:9091", "receiver.local"));
        assertThat(receiverOnly.check("http://127.0.0.1:9090/hook").port()).isEqualTo(9090);
        assertThat(receiverOnly.check("http://[::1]:9091/hook").port()).isEqualTo(9091);
        assertThat(receiverOnly.check("http://receiver.local:1234/").port()).isEqualTo(1234);
        for (String url :
                List.of(
                        "http://127.0.0.1:8081/api/hooks",
                        "http://127.0.0.1/",
                        "https://127.0.0.1:8084/",
                        "http://[::1]:9090/")) {
            assertThatThrownBy(() -> receiverOnly.check(url))
                    .as(url)
                    .isInstanceOf(UnsafeDestinationException.class);
        }
        assertThatThrownBy(() -> receiverOnly.checkHost("127.0.0.1", 25, false))
                .isInstanceOf(UnsafeDestinationException.class);
        assertThatThrownBy(() -> new UrlGuard(RESOLVER, List.of("127.0.0.1:99999")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsafeDestinationsAreRefused() {
        List<String> refused =
                List.of(
                        "https://127.0.0.1/x",
                        "https://127.1.2.3/x",
                        "https://[::1]/x",
                        "https://[::]/x",
                        "https://0.0.0.0/x",
                        "https://169.254.169.254/latest/meta-data/",
                        "https://[fe80::1]/x",
                        "https://[fd00:ec2::254]/x",
                        "https://[::ffff:127.0.0.1]/x",
                        "https://[::ffff:10.1.1.1]/x",
                        "https://[64:ff9b::a9fe:a9fe]/x",
                        "https://[2002:a00:1::]/x",
                        "https://10.0.0.1/x",
                        "https://172.16.5.4/x",
                        "https://192.168.0.1/x",
                        "https://100.64.0.1/x",
                        "https://224.0.0.1/x",
                        "https://255.255.255.255/x",
                        "https://internal.corp/x",
                        "https://mixed.corp/x",
                        "https://metadata.google.internal/computeMetadata/v1/",
                        "https://unknown.example/x",
                        "http://hooks.slack.com/x",
                        "ftp://hooks.slack.com/x",
                        "file:///etc/passwd",
                        "https://user:pass@hooks.slack.com/x",
                        "not a url",
                        "");
        for (String url : refused) {
            assertThatThrownBy(() -> guard.check(url))
                    .as(url)
                    .isInstanceOf(UnsafeDestinationException.class);
        }
    }

    @Test
    void refusalsNameTheHostButNotThePath() {
        assertThatThrownBy(() -> guard.check("https://internal.corp/secret-token-path"))
                .hasMessageContaining("internal.corp")
                .hasMessageContaining("10.0.0.1")
                .hasMessageNotContaining("secret-token-path");
    }

    @Test
    void smtpHostsAreCheckedLikeUrls() throws Exception {
        assertThat(guard.checkHost("hooks.slack.com", 587, false).port()).isEqualTo(587);
        assertThatThrownBy(() -> guard.checkHost("internal.corp", 25, false))
                .isInstanceOf(UnsafeDestinationException.class);
        assertThatThrownBy(() -> guard.checkHost("hooks.slack.com", 0, false))
                .isInstanceOf(UnsafeDestinationException.class);
    }

    @Test
    void publicRangesArePublic() throws Exception {
        for (String ip :
                List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
            assertThat(UrlGuard.isPublic(InetAddress.getByName(ip))).as(ip).isTrue();
        }
    }
}
