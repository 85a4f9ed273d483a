package io.tributary.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for one stack, from a block of its own: the stacks run side by side in surefire forks,
 * and a port one stack has picked but its server has not bound yet must not be picked by the other.
 * Each fork ({@code tributary.e2e.fork}, surefire's fork number) gets its own block below the
 * kernel's ephemeral range (32768 and up here), so no other fork and no outgoing connection takes
 * it either; within the block, picks go forward, never twice the same port.
 */
final class StackPorts {
    private static final int FIRST = 20_000;
    private static final int BLOCK = 1_000;
    private static final int BLOCKS = 12;

    private final int base;
    private int next;

    private StackPorts(int base) {
        this.base = base;
        // A random start: a second build beside this one rarely walks the same ports.
        this.next = ThreadLocalRandom.current().nextInt(BLOCK);
    }

    /** The block of this JVM's fork (the first when not run by surefire). */
    static StackPorts forThisFork() {
        int fork = Integer.getInteger("tributary.e2e.fork", 1);
        return new StackPorts(FIRST + Math.floorMod(fork - 1, BLOCKS) * BLOCK);
    }

    /** The next port of the block nobody listens on. */
    synchronized int free() {
        for (int tries = 0; tries < BLOCK; tries++) {
            int port = base + next;
            next = (next + 1) % BLOCK;
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // someone listens there: the next one
            }
        }
        throw new IllegalStateException("no free port in " + base + "-" + (base + BLOCK - 1));
    }
}
