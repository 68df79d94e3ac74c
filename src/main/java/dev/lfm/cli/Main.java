package dev.lfm.cli;

import dev.lfm.LfmException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lfm} command line: one subcommand per job. */
@Command(name = "lfm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Latent factor model (matrix factorization) training on CPU, OpenCL and CUDA.",
        subcommands = {
            TrainCommand.class,
            TuneCommand.class,
            EvaluateCommand.class,
            RecommendCommand.class,
            FoldInCommand.class,
            GradcheckCommand.class,
            ExperimentCommand.class,
            VerifyCommand.class,
            DevicesCommand.class,
            CommandLine.HelpCommand.class,
            CompareCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (OutOfMemoryError e) {
            System.err.println("lfm: out of memory: give the JVM more heap (LFM_JAVA_OPTS=-Xmx16g) or use a smaller problem");
            code = 3;
        }
        if (code == 0 && "cluster".equals(System.getProperty("spark.submit.deployMode"))) {
            return; // spark-submit --deploy-mode cluster: the application master reports a normal return as success
        }
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            if (ex.getCause() instanceof FlagValues.Refused r && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
                c.getErr().println("lfm: " + o.longestName() + " " + r.getMessage());
                return 2;
            }
            c.getErr().println("lfm: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parseResult) -> {
            Throwable t = e;
            while (!(t instanceof LfmException) && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            if (t instanceof LfmException) {
                c.getErr().println("lfm: " + t.getMessage());
                return 2;
            }
            c.getErr().println("lfm: internal error: " + e);
            e.printStackTrace(c.getErr());
            return 70;
        });
        return cl;
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lfm " + (v == null ? "dev" : v)};
        }
    }
}
