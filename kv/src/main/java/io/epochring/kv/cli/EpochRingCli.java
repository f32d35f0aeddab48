package io.epochring.kv.cli;

import io.epochring.EpochRingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * The {@code epochring} command-line tool: {@code demo} runs a workload on a journaled RocksDB
 * store, {@code cluster-demo} one on a cluster of three node processes with a {@code kill -9} of
 * the leader, {@code recover} reopens a store and reports what it replayed, {@code inspect} dumps a
 * journal. Exit codes: 0 ok, 1 runtime failure, 2 usage error. Errors are one line (the stack
 * trace only with {@code --verbose}).
 */
@Command(name = "epochring", mixinStandardHelpOptions = true, versionProvider = EpochRingCli.Version.class,
         description = "EpochRing's tool: a demo workload on a journaled RocksDB store, a replicated one on a 3-node cluster,"
                       + " recovery, journal inspection.",
         subcommands = {DemoCommand.class, ClusterDemoCommand.class, RecoverCommand.class, InspectCommand.class, CommandLine.HelpCommand.class},
         footerHeading = "%nExit codes:%n",
         footer = {"  0  ok", "  1  runtime failure (locked or corrupt store, failed verification, I/O error)",
                   "  2  usage error (bad option, bad number, missing directory)"})
public final class EpochRingCli implements Runnable {

    /** Success. */
    public static final int OK = 0;
    /** The command ran and failed: storage, journal, verification. */
    public static final int FAILURE = 1;
    /** The command line was wrong: unknown option, bad number, missing directory. */
    public static final int USAGE = 2;

    /** Held: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final java.util.logging.Logger JOURNAL_LOG = java.util.logging.Logger.getLogger("io.epochring.journal");

    static {
        // The tool's own output is the point. Chronicle Queue logs INFO lines on start-up and WARN
        // lines about conditions the journal handles and reports in its own errors: its write lock
        // forced open after a writer died or a write failed (with a stack trace of two dozen lines),
        // an end of file it could not find in a damaged file, a roll cycle taken from the journal's
        // metadata. On a terminal they bury the one line that says what happened and what to do, so
        // Chronicle logs errors only. Set before any logger exists; a -D on the command line wins
        // (-Dorg.slf4j.simpleLogger.log.net.openhft=warn shows them again).
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "error");
        // The journal's own lines (a loss recorded, a codec adopted, retention, the fallback to writing
        // zeros on a full disk) say what the tool's report says in its own words, or precede its one
        // error line; they go to java.util.logging, the JDK's default System.Logger backend.
        // -Depochring.journal.log=INFO shows them again.
        JOURNAL_LOG.setLevel(java.util.logging.Level.parse(System.getProperty("epochring.journal.log", "SEVERE")));
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of demo, cluster-demo, recover, inspect");
    }

    /** Runs the tool and exits the JVM with its exit code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(out, err, isTerminal(), args));
    }

    /**
     * Runs the tool in-process.
     *
     * @param interactive whether {@code err} is a terminal (progress updates in place)
     * @return the exit code
     */
    public static int execute(PrintStream out, PrintStream err, boolean interactive, String... args) {
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine cli = new CommandLine(new EpochRingCli(), new Factory(interactive));
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(EpochRingCli::onUsageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> onFailure(e, commandLine));
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler; without this the JVM prints the raw trace.
            CommandLine command = cli.getParseResult() != null && cli.getParseResult().subcommand() != null
                                  ? cli.getParseResult().subcommand().commandSpec().commandLine() : cli;
            return onFailure(e, command);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static int onUsageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getParent() == null ? "epochring" : "epochring " + command.getCommandName();
        PrintWriter err = command.getErr();
        err.println(name + ": " + oneLine(e) + " (see '" + name + " --help')");
        err.flush();
        return USAGE;
    }

    private static int onFailure(Throwable thrown, CommandLine command) {
        // A failure on a worker thread arrives wrapped; its cause is what the user needs to read.
        Throwable e = thrown instanceof ExecutionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        PrintWriter err = command.getErr();
        String name = command.getCommandName();
        err.println("epochring " + name + ": " + (e instanceof OutOfMemoryError oom ? outOfMemory(name, oom, Runtime.getRuntime().maxMemory())
                                                                                  : oneLine(e)));
        if (command.getParseResult() != null && command.getParseResult().hasMatchedOption(VerboseOption.NAME)) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof UsageException ? USAGE : FAILURE;
    }

    /** @return what ran out and what to do: the options that size what {@code command} holds, or more heap */
    static String outOfMemory(String command, OutOfMemoryError e, long maxHeap) {
        String lower = switch (command) {
            case "demo" -> "lower --keys, --flush-bytes or --value-size, or ";
            default -> "";
        };
        return "the JVM ran out of memory (" + (e.getMessage() == null ? "OutOfMemoryError" : e.getMessage()) + ", with a maximum heap of "
               + Format.bytes(maxHeap) + "): " + lower + "give java more heap, e.g. java -Xmx" + Math.max(1, 2 * (maxHeap >> 30))
               + "g -jar epochring.jar " + command + " ...";
    }

    /** The message on one line; the exception type when the message says too little on its own. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.toString();
        } else if (!(e instanceof EpochRingException || e instanceof UsageException || e instanceof IllegalArgumentException
                     || e instanceof CommandLine.PicocliException)) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        return message.replaceAll("\\s*\\R\\s*", "; ").strip();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** @return whether the JVM's console is a terminal (on JDK 22+ a console exists even when redirected) */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console means a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Creates commands, handing the demo whether stderr is a terminal. */
    private static final class Factory implements CommandLine.IFactory {
        private final boolean interactive;
        private final CommandLine.IFactory defaults = CommandLine.defaultFactory();

        Factory(boolean interactive) {
            this.interactive = interactive;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == DemoCommand.class) {
                return type.cast(new DemoCommand(interactive));
            }
            return defaults.create(type);
        }
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EpochRingCli.class.getPackage().getImplementationVersion();
            return new String[] {"epochring " + (version == null ? "0.1.0-SNAPSHOT" : version) + " (Java "
                                 + System.getProperty("java.version") + ", " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + ")"};
        }
    }
}
