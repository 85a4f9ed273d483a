package io.tributary.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the sandbox standalone: {@code java -jar tributary-airbyte-sandbox-*-runner.jar
 * [--flag=value ...]}. Every flag can also come from the environment as {@code SANDBOX_FLAG_NAME}
 * (e.g. {@code --token-lifetime} is {@code SANDBOX_TOKEN_LIFETIME}); a flag wins.
 */
public final class SandboxMain {

    /** Fixed ids, so scripts and docs can name the demo connections. */
    public static final UUID SHOP = UUID.fromString("c0ffee00-0000-4000-8000-000000000001");

    public static final UUID FAILING = UUID.fromString("c0ffee00-0000-4000-8000-000000000002");
    public static final UUID FLAKY = UUID.fromString("c0ffee00-0000-4000-8000-000000000003");
    public static final UUID INACTIVE = UUID.fromString("c0ffee00-0000-4000-8000-000000000004");

    private static final String USAGE =
            """
            Airbyte sandbox: a simulator of the Airbyte public API.
            Flags (or env SANDBOX_<NAME>):
              --port=8000                  --host=0.0.0.0
              --auth=client-credentials    (or basic, none)
              --client-id=sandbox-client   --client-secret=sandbox-secret  (basic: user/password)
              --token-lifetime=180         seconds a token really lives
              --expires-in=180             seconds expires_in claims (set 900 to lie like Cloud)
              --time-compression=1         divide scripted job durations by this
              --webhook-url=URL            Airbyte sync notifications go here
              --jdbc-url=jdbc:postgresql://...  --jdbc-user=...  --jdbc-password=...
            """;

    private SandboxMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> flags = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.print(USAGE);
                return;
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.print("unknown argument " + arg + "\n" + USAGE);
                System.exit(2);
            }
            flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        AirbyteSandbox sandbox = build(flags::get).start();
        addDemoConnections(sandbox);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        System.out.println(
                "Airbyte sandbox on "
                        + sandbox.baseUrl()
                        + " and "
                        + sandbox.cloudBaseUrl()
                        + " (auth "
                        + sandbox.auth().mode().name().toLowerCase(Locale.ROOT)
                        + ")");
        for (SandboxConnection c : sandbox.connections()) {
            System.out.println("  connection " + c.connectionId() + "  " + c.name());
        }
        Thread.currentThread().join();
    }

    /** Builds from flags; a missing flag falls back to the environment, then to the default. */
    static AirbyteSandbox build(java.util.function.Function<String, String> flagLookup) {
        java.util.function.Function<String, String> get =
                name -> {
                    String v = flagLookup.apply(name);
                    if (v == null) {
                        v =
                                System.getenv(
                                        "SANDBOX_"
                                                + name.toUpperCase(Locale.ROOT).replace('-', '_'));
                    }
                    return v;
                };
        String id = orDefault(get.apply("client-id"), "sandbox-client");
        String secret = orDefault(get.apply("client-secret"), "sandbox-secret");
        SandboxAuth auth =
                switch (orDefault(get.apply("auth"), "client-credentials")) {
                    case "client-credentials" -> SandboxAuth.clientCredentials(id, secret);
                    case "basic" -> SandboxAuth.basic(id, secret);
                    case "none" -> SandboxAuth.none();
                    default ->
                            throw new IllegalArgumentException(
                                    "auth must be client-credentials, basic or none");
                };
        Duration lifetime =
                Duration.ofSeconds(Long.parseLong(orDefault(get.apply("token-lifetime"), "180")));
        AirbyteSandbox.Builder b =
                AirbyteSandbox.builder()
                        .host(orDefault(get.apply("host"), "0.0.0.0"))
                        .port(Integer.parseInt(orDefault(get.apply("port"), "8000")))
                        .auth(auth)
                        .tokenLifetime(lifetime)
                        .advertisedExpiresIn(
                                Duration.ofSeconds(
                                        Long.parseLong(
                                                orDefault(
                                                        get.apply("expires-in"),
                                                        String.valueOf(lifetime.toSeconds())))))
                        .timeCompression(
                                Double.parseDouble(orDefault(get.apply("time-compression"), "1")))
                        .webhookUrl(get.apply("webhook-url"));
        if (get.apply("jdbc-url") != null) {
            b.jdbcUrl(get.apply("jdbc-url"), get.apply("jdbc-user"), get.apply("jdbc-password"));
        }
        return b.build();
    }

    /** The demo set: a shop that loads data, a failing source, a flaky one, an inactive one. */
    static void addDemoConnections(AirbyteSandbox sandbox) {
        sandbox.connection("shop → postgres")
                .id(SHOP)
                .loadsShopData()
                .script(ConnectionScript.succeedAfter(Duration.ofSeconds(5), 0))
                .add();
        sandbox.connection("stripe → postgres")
                .id(FAILING)
                .script(
                        ConnectionScript.failAfter(
                                Duration.ofSeconds(3),
                                "Stripe API answered 401 Unauthorized: the API key is invalid"))
                .add();
        sandbox.connection("hubspot → postgres")
                .id(FLAKY)
                .script(ConnectionScript.incompleteThenSucceed(1, Duration.ofSeconds(3), 5_000))
                .add();
        sandbox.connection("legacy crm → postgres")
                .id(INACTIVE)
                .inactive()
                .script(ConnectionScript.succeedAfter(Duration.ofSeconds(1), 10))
                .add();
    }

    private static String orDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value;
    }
}
