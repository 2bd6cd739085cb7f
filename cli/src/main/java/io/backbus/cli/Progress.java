package io.backbus.cli;

import java.io.PrintWriter;
import java.time.Duration;

/** Operator-facing progress lines and the progress bar shown while waiting on a run or a restore. */
final class Progress {

    private final PrintWriter out;
    private final boolean interactive;
    private long stepStarted;

    Progress(PrintWriter out) {
        this.out = out;
        this.interactive = System.console() != null;
    }

    void step(String what) {
        stepStarted = System.nanoTime();
        out.println("==> " + what);
    }

    void done(String detail) {
        out.printf("    %s (%.1f s)%n", detail, (System.nanoTime() - stepStarted) / 1e9);
    }

    void line(String text) {
        out.println(text);
    }

    /** Redraws one status line: an indeterminate bar, the state and the elapsed time. */
    void bar(String state, Duration elapsed, String detail) {
        int width = 24;
        int pos = (int) ((elapsed.toMillis() / 150) % width);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            bar.append(i == pos ? '#' : (i < pos ? '=' : ' '));
        }
        bar.append(']');
        String text = String.format("    %s %-9s %5.1f s %s", bar, state, elapsed.toMillis() / 1000.0, detail);
        if (interactive) {
            out.print("\r" + text);
            out.flush();
        }
    }

    void endBar(String what, String state, Duration elapsed) {
        if (interactive) {
            out.print("\r");
        }
        out.printf("    %s %s after %.1f s%n", what, state, elapsed.toMillis() / 1000.0);
    }
}
