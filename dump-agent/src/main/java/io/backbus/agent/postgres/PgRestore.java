package io.backbus.agent.postgres;

import io.backbus.agent.config.AgentProperties;
import io.backbus.agent.config.PgBinaries;
import io.backbus.agent.domain.ArchiveRestorer;
import io.backbus.agent.domain.DatabaseName;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.FailureReason;
import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.tools.RunningTool;
import io.backbus.agent.tools.ToolCommand;
import io.backbus.agent.tools.ToolException;
import io.backbus.agent.tools.ToolRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs {@code pg_restore} from the agent's bin dir into a destination database:
 * {@code pg_restore --dbname=<conninfo> --no-password --jobs=N --no-owner --no-privileges --exit-on-error --verbose
 * [--clean --if-exists] <archive>}.
 *
 * <ul>
 * <li>The connection is one libpq connection string of host, port, user and dbname, each single-quoted, and no
 * password: the password reaches pg_restore only through its environment ({@code PGPASSWORD} or
 * {@code PGPASSFILE}). Quoting matters: a database name given as a bare {@code --dbname} would be parsed as a
 * connection string if it contained {@code =}, and could point pg_restore (and the password) elsewhere.</li>
 * <li>{@code --no-owner}: the objects belong to the restoring user; the dump's owners need not exist on the
 * destination server. {@code --no-privileges}: for the same reason the dump's GRANTs (to roles that may not exist
 * there) are not restored — with {@code --exit-on-error} one missing role would abort the whole restore. Grant
 * access on the restored database as the destination requires.</li>
 * <li>{@code --verbose} lines count the entries processed (progress); errors, warnings and their continuation lines
 * are kept for the reason, but never the SQL of a failing statement ({@code Command was: ...}), which may quote
 * anything the dump holds.</li>
 * </ul>
 */
@Component
public class PgRestore implements ArchiveRestorer {

    private static final Logger log = LoggerFactory.getLogger(PgRestore.class);
    static final int KEPT_LINES = 20;
    static final int LINE_LIMIT = 500;
    private static final String PREFIX = "pg_restore: ";
    /** A verbose line that reports one archive entry being restored (serial and parallel mode alike). */
    private static final Pattern ENTRY = Pattern.compile(
            "pg_restore: (creating |processing data for |executing |restoring large object).*");
    /** {@code --list} lines of entries {@code --no-privileges} skips. */
    private static final Pattern ACL_ENTRY = Pattern.compile("\\d+; \\d+ \\d+ (DEFAULT )?ACL .*");

    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);

    private final Path pgRestore;
    private final ToolRunner tools = new ToolRunner();

    /** From {@code backbus.agent.pg-bin-dir}. */
    @Autowired
    public PgRestore(AgentProperties properties) {
        this(PgBinaries.locate(properties.pgBinDir()));
    }

    public PgRestore(Path binDir) {
        this.pgRestore = binDir.resolve("pg_restore");
    }

    /** The command line: no secret in it. */
    public List<String> command(DumpTarget target, DatabaseName database, int jobs, boolean clean, Path archive) {
        List<String> command = new ArrayList<>(List.of(pgRestore.toString(), "--dbname=" + conninfo(target, database),
                "--no-password", "--jobs=" + jobs, "--no-owner", "--no-privileges", "--exit-on-error", "--verbose"));
        if (clean) {
            command.add("--clean");
            command.add("--if-exists");
        }
        command.add(archive.toString());
        return command;
    }

    /** {@code host='..' port='..' user='..' dbname='..'}: every value quoted, no password. */
    static String conninfo(DumpTarget target, DatabaseName database) {
        return "host=" + DatabaseName.conninfoQuote(target.host()) + " port="
                + DatabaseName.conninfoQuote(String.valueOf(target.port())) + " user="
                + DatabaseName.conninfoQuote(target.user()) + " dbname=" + database.conninfoValue();
    }

    @Override
    public String format() {
        return PgDump.FORMAT;
    }

    /** How many entries a restore of {@code archive} processes ({@code pg_restore --list}), or -1 if unknown. */
    @Override
    public long entries(Path archive) {
        ToolCommand list = ToolCommand.of(pgRestore, List.of("--list", archive.toString())).withTimeout(LIST_TIMEOUT);
        try (RunningTool tool = tools.start(list)) {
            long entries = 0;
            try (BufferedReader lines = reader(tool.stdout())) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.isBlank() && !line.startsWith(";") && !ACL_ENTRY.matcher(line).matches()) {
                        entries++;
                    }
                }
            }
            tool.finish();
            return entries;
        } catch (ToolException | IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Restores {@code archive} into {@code database} on {@code target}'s server.
     *
     * @param credentials what the target's password source resolved to: its environment entries are pg_restore's
     * @param entryDone   told of each archive entry restored
     * @return empty when pg_restore succeeded, else why it failed (its own messages, scrubbed of secrets)
     */
    @Override
    public Optional<String> restore(DumpTarget target, DatabaseName database,
            PasswordSource.ChildCredentials credentials, int jobs, boolean clean, Path archive,
            LongConsumer entryDone) {
        List<String> command = command(target, database, jobs, clean, archive);
        log.info("Running {}", String.join(" ", command));
        Stderr stderr = new Stderr(entryDone);
        ToolCommand restore = ToolCommand.of(pgRestore, command.subList(1, command.size()))
                .withEnvironment(PgEnvironment.of(credentials)).withStdout(ToolCommand.Stdout.DISCARD)
                .withStderrLines(line -> {
                    log.debug("{}", line);
                    stderr.accept(line);
                });
        try (RunningTool tool = tools.start(restore)) {
            tool.finish();
            return Optional.empty();
        } catch (ToolException e) {
            if (e.kind() == ToolException.Kind.NOT_STARTED) {
                return Optional.of(FailureReason.scrub(e.getMessage(), credentials.secrets()));
            }
            // stderr is drained once finish() returns: its kept lines are complete
            return Optional.of(FailureReason.scrub(stderr.reason(e.exitCode().orElse(-1)), credentials.secrets()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pg_restore restored into " + database, e);
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /**
     * pg_restore's stderr: entries counted, errors kept (bounded), statements of failing commands left out.
     *
     * <p>pg_restore writes a message in pieces ({@code "pg_restore: "}, {@code "error: "}, the text), and with
     * {@code --jobs} its workers and the leader write to the same pipe at once, so a message can be torn apart by
     * another process's output: {@code "pg_restore: pg_restore: error: finished item 3358 ..."} followed by a line
     * {@code "could not read from input file: end of file"}. So each line is cut into segments at
     * {@code "pg_restore: "}; a segment with a level ({@code error:}, {@code warning:}, ...) starts a message, a
     * verbose segment ends it, and a line of no process's own (no prefix) is kept as part of the message before it —
     * unless it belongs to a {@code Command was:} statement.
     */
    static final class Stderr {
        private static final Pattern LEVELLED = Pattern.compile("(error|warning|detail|hint|fatal):(?: (.*))?",
                Pattern.DOTALL);
        private static final Pattern VERBOSE = Pattern.compile("(creating |processing |launching item |finished "
                + "item |finished main parallel loop|entering |connecting |executing |restoring |dropping |skipping "
                + "|disabling triggers|enabling triggers|setting owner|implied data-only restore).*", Pattern.DOTALL);

        private final LongConsumer entryDone;
        private final List<String> kept = new ArrayList<>();
        private boolean inCommand;
        private boolean afterMessage;
        /** A level was seen whose text went to another line. */
        private boolean pending;

        Stderr(LongConsumer entryDone) {
            this.entryDone = entryDone;
        }

        void accept(String line) {
            int start = 0;
            for (int next = line.indexOf(PREFIX, 1); next >= 0; next = line.indexOf(PREFIX, next + 1)) {
                segment(line.substring(start, next));
                start = next;
            }
            segment(line.substring(start));
        }

        private void segment(String segment) {
            boolean own = segment.startsWith(PREFIX);
            String text = (own ? segment.substring(PREFIX.length()) : segment).strip();
            if (text.isEmpty()) {
                return; // a prefix whose message went elsewhere
            }
            if (own) {
                inCommand = false;
            } else if (text.startsWith("Command was:")) {
                inCommand = true;
                return;
            } else if (inCommand) {
                return;
            }
            java.util.regex.Matcher levelled = LEVELLED.matcher(text);
            if (levelled.matches()) {
                String rest = levelled.group(2) == null ? "" : levelled.group(2).strip();
                if (rest.isEmpty() || VERBOSE.matcher(rest).matches()) {
                    // torn: this level's text follows on a line of its own
                    pending = true;
                    return;
                }
                keep(levelled.group(1).equals("error") ? rest : text);
                afterMessage = true;
                pending = false;
                return;
            }
            if (VERBOSE.matcher(text).matches()) {
                afterMessage = false;
                if (ENTRY.matcher(PREFIX + text).matches()) {
                    entryDone.accept(1);
                }
                return;
            }
            if (own) {
                afterMessage = false; // some other informational line
            } else if (afterMessage || pending) {
                keep(text);
                afterMessage = true;
                pending = false;
            }
        }

        private void keep(String line) {
            String bounded = line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "…" : line;
            if (!kept.isEmpty() && kept.get(kept.size() - 1).equals(bounded)) {
                return;
            }
            if (kept.size() == KEPT_LINES) {
                kept.remove(KEPT_LINES / 2); // keep the first errors (the cause) and the last ones
            }
            kept.add(bounded);
        }

        String reason(int exit) {
            if (kept.isEmpty()) {
                return "pg_restore exited with status " + exit + " and no message";
            }
            return String.join("; ", kept);
        }
    }
}
