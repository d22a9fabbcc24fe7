package io.vigil.cli;

import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.live.BundleCheck;
import io.vigil.jobs.sigma.RegressionTree;
import io.vigil.jobs.sigma.SigmaRegression;
import io.vigil.model.text.SafeText;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.bundle.BundleException;
import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.BundleManifest;
import io.vigil.rules.bundle.RuleBundle;
import io.vigil.rules.fixtures.FixtureLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil rules bundle DIR --out FILE}: a signed rule bundle of a directory, checked the way
 * the job will check it before it is written, so a bundle that would be refused never leaves the
 * machine that made it. The signing key comes from an environment variable only.
 */
@Command(name = "bundle",
        description = {"Make a signed rule bundle of DIR (DRL rules with their fixtures, sigma/, regression/, "
                + "exceptions.yml, manifest.yml), check it as the job will (signature, exceptions, compile, "
                + "fixtures, regression samples) and write it to --out. Signs with the Ed25519 private key in "
                + "the environment variable --key-env. Exits 1 naming the step and what to fix when the bundle "
                + "would be refused; nothing is written then."})
final class RulesBundleCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // no standard help mixin: its --version would take the manifest's --version
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DIR", description = "The directory to bundle (read recursively).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the bundle (ZIP).")
    Path out;

    @Option(names = "--key-env", paramLabel = "VAR",
            description = "Environment variable holding the private key (PEM; default: ${DEFAULT-VALUE}).")
    String keyEnv = VigilOptions.RULES_SIGNING_KEY_ENV.defaultValue();

    @Option(names = "--version", paramLabel = "V",
            description = "The bundle's version, when DIR has no manifest.yml (letters, digits, . _ + -).")
    String version;

    @Option(names = "--author", paramLabel = "A",
            description = "Who made the bundle, when DIR has no manifest.yml (default: the user running vigil).")
    String author;

    @Option(names = "--description", paramLabel = "D",
            description = "What changed, when DIR has no manifest.yml.")
    String description;

    /** Reads environment variables; tests replace it. */
    Function<String, String> environment = System::getenv;

    /** The time a manifest made here is created at; tests fix it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such directory: " + dir);
        }
        RuleBundle bundle;
        try {
            bundle = RuleBundle.fromDirectory(dir, manifest());
            PrivateKey key = signingKey();
            PublicKey publicKey = BundleKeys.publicKey(key);
            byte[] archive = bundle.signed(key).toBytes();
            BundleCheck.Outcome outcome = BundleCheck.check(archive, publicKey);
            if (!outcome.accepted()) {
                throw new BundleException(outcome.step(), outcome.reason());
            }
            write(archive);
            printSummary(w, bundle, outcome, publicKey);
        } catch (BundleException e) {
            spec.commandLine().getErr().println("vigil rules bundle: refused at step " + e.step() + ": "
                    + SafeText.escape(e.getMessage()) + "; nothing written");
            spec.commandLine().getErr().flush();
            return VigilCli.FAILURE;
        }
        return VigilCli.OK;
    }

    /** The manifest the options make, or null when DIR has its own. */
    private BundleManifest manifest() {
        boolean own = Files.exists(dir.resolve(RuleBundle.MANIFEST));
        boolean given = version != null || author != null || description != null;
        if (own && given) {
            throw new CommandLine.ParameterException(spec.commandLine(), dir + " has its own " + RuleBundle.MANIFEST
                    + ": --version, --author and --description only make one for a directory without it");
        }
        if (own) {
            return null;
        }
        if (version == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), dir + " has no " + RuleBundle.MANIFEST
                    + ": write one (version, author, created, description) or give --version (and --author, "
                    + "--description)");
        }
        try {
            return new BundleManifest(version, author != null ? author : System.getProperty("user.name"),
                    Instant.now(clock).truncatedTo(ChronoUnit.SECONDS), description);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), RuleBundle.MANIFEST + ": " + e.getMessage());
        }
    }

    private PrivateKey signingKey() throws BundleException {
        String text = environment.apply(keyEnv);
        if (text == null || text.isBlank()) {
            throw new BundleException("signature", "environment variable " + keyEnv + " holds no signing key: set "
                    + "it to the private key (PEM; vigil rules keygen makes a pair)");
        }
        return BundleKeys.privateKey(text, "environment variable " + keyEnv);
    }

    /** Writes the archive beside {@code out} first, so a reader never sees half a bundle. */
    private void write(byte[] archive) throws java.io.IOException {
        Path target = out.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.write(tmp, archive);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void printSummary(PrintWriter w, RuleBundle bundle, BundleCheck.Outcome outcome, PublicKey key)
            throws Exception {
        long drl = 0;
        long sigma = 0;
        long fixtures = 0;
        for (RuleMeta r : outcome.rules().active().values()) {
            if (RuleMeta.VIGIL.equals(r.ruleset())) {
                drl++;
                String text = bundle.fixturesText(r.file(), r.id());
                fixtures += text == null ? 0 : FixtureLoader.parse(r.file(), text).size();
            } else {
                sigma++;
            }
        }
        int regression = bundle.regression().isEmpty() ? 0
                : SigmaRegression.discover(RegressionTree.of(bundle.regression())).size();
        BundleManifest m = outcome.manifest();
        w.println("bundle " + m.version() + " written to " + out);
        w.println("  author       " + SafeText.escape(m.author()));
        w.println("  created      " + m.created());
        w.println("  digest       " + outcome.digest());
        w.println("  signed with  key " + BundleKeys.keyId(key));
        w.println("  rules        " + drl + " DRL (" + fixtures + " fixtures), " + sigma + " Sigma (" + regression
                + " regression tests)");
        w.println("  exceptions   " + outcome.exceptions().entries().size());
        w.flush();
    }
}
