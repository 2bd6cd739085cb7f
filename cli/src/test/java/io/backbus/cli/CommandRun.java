package io.backbus.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the {@code backbus} command line as {@link Backbus#main} builds it, with its out and err captured —
 * picocli's own testing style: construct, {@code setOut}/{@code setErr}, {@code execute}, look at the exit code.
 *
 * @param exitCode what {@code main} would pass to {@code System.exit}
 * @param out      what the command printed for the operator
 * @param err      its error lines (and picocli's usage errors)
 */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Backbus.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
