package io.tributary.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a local Kafka broker that the broker advertises as its address, so that
 * every client's traffic passes through it and can be frozen as a stalled broker host would be
 * (connections stay open and are even accepted, no byte goes through) and thawed again, nothing
 * lost. The embedded broker runs inside the test's JVM, where SIGSTOP is not an option.
 *
 * <p>Start it before the broker and hand {@link #brokerOverrides()} to the broker's settings.
 */
public final class KafkaFrontDoor implements AutoCloseable {
    private final int brokerPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean frozen;

    private KafkaFrontDoor(int brokerPort, ServerSocket server) {
        this.brokerPort = brokerPort;
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1 and relays to the broker listening on brokerPort. */
    public static KafkaFrontDoor open(int brokerPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            KafkaFrontDoor door = new KafkaFrontDoor(brokerPort, server);
            daemon("kafka-front-door", door::acceptLoop);
            return door;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Kafka front door", e);
        }
    }

    /** The address clients bootstrap from. */
    public String bootstrapServers() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Broker properties that make the broker advertise this front door instead of itself. */
    public Map<String, String> brokerOverrides() {
        return Map.of("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
    }

    /** Holds every byte in both directions until the returned handle is closed. */
    public Thaw freeze() {
        synchronized (gate) {
            frozen = true;
        }
        return () -> {
            synchronized (gate) {
                frozen = false;
                gate.notifyAll();
            }
        };
    }

    /** Ends a freeze. */
    public interface Thaw extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(KafkaFrontDoor::closeQuietly);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                relay(server.accept());
            } catch (IOException e) {
                // the front door closed
            }
        }
    }

    private void relay(Socket client) {
        try {
            Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
            sockets.add(client);
            sockets.add(broker);
            daemon("kafka-front-door-in", () -> pump(client, broker));
            daemon("kafka-front-door-out", () -> pump(broker, client));
        } catch (IOException e) {
            // The broker is down: the client sees its connection closed, as without the relay.
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitThaw();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // One side closed: the other follows below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (gate) {
            while (frozen) {
                gate.wait();
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
