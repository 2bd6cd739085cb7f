package io.backbus.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;

/** Picks currently free TCP ports on 127.0.0.1 (best effort: another process may grab the port before it is used). */
public final class FreePorts {

    private FreePorts() {
    }

    /** Returns a port that is free on 127.0.0.1 right now. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalStackException("cannot find a free TCP port on 127.0.0.1", e);
        }
    }

    /** Returns {@code count} distinct free ports. */
    public static int[] pick(int count) {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < count) {
            ports.add(pick());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** True if nothing listens on 127.0.0.1:port. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
