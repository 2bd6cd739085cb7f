package io.backbus.agent.tools;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drains a child's stderr on its own thread from the start — so the child can never block on a full stderr pipe
 * while the caller reads stdout, or the other way round — keeping only its last {@code limit} bytes, and handing
 * every line to a consumer if one is given.
 */
final class StderrTail {

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final int limit;
    private int buffered;
    private final Thread thread;

    private StderrTail(InputStream in, String name, int limit, Consumer<String> lines) {
        this.limit = limit;
        thread = new Thread(() -> {
            if (lines == null) {
                drain(in);
            } else {
                drainLines(in, lines);
            }
        }, name + "-stderr");
        thread.setDaemon(true);
    }

    static StderrTail start(InputStream in, String name, int limit, Consumer<String> lines) {
        StderrTail tail = new StderrTail(in, name, limit, lines);
        tail.thread.start();
        return tail;
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                append(Arrays.copyOf(buffer, n));
            }
        } catch (IOException ignored) {
            // the process went away; keep what was read
        }
    }

    private void drainLines(InputStream in, Consumer<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                append((line + "\n").getBytes(StandardCharsets.UTF_8));
                lines.accept(line);
            }
        } catch (IOException ignored) {
            // the process went away; keep what was read
        }
    }

    private synchronized void append(byte[] chunk) {
        chunks.addLast(chunk);
        buffered += chunk.length;
        while (buffered - chunks.peekFirst().length >= limit) {
            buffered -= chunks.removeFirst().length;
        }
    }

    /** Waits (bounded) until the child closed stderr. */
    void join() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    synchronized String text() {
        ByteArrayOutputStream all = new ByteArrayOutputStream(buffered);
        chunks.forEach(all::writeBytes);
        byte[] bytes = all.toByteArray();
        int from = Math.max(0, bytes.length - limit);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }
}
