package io.vigil.cli;

import io.vigil.jobs.config.VigilOptions;
import io.vigil.rules.bundle.BundleKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil rules keygen}: a new Ed25519 pair for rule bundles. The public key goes to a file
 * the job's {@code rules.public-key} names; the private key goes to an owner-only file or is shown
 * once, to be put in the signing environment variable. It is never written into the configuration.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Make an Ed25519 key pair for signing rule bundles. The public key (PEM) goes to "
                + "--public-out, for the job's rules.public-key; the private key to --private-out (owner-only, "
                + "0600) or, without it, is printed once, to be put in the environment variable "
                + "vigil rules bundle reads (VIGIL_RULES_SIGNING_KEY unless --key-env). Existing files are "
                + "never overwritten."})
final class RulesKeygenCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--public-out", paramLabel = "FILE", required = true,
            description = "Where to write the public key (PEM).")
    Path publicOut;

    @Option(names = "--private-out", paramLabel = "FILE",
            description = "Where to write the private key (PEM, owner-only). Without it, the key is printed once.")
    Path privateOut;

    @Option(names = "--key-env", paramLabel = "VAR",
            description = "The environment variable the printed instructions name (default: ${DEFAULT-VALUE}).")
    String keyEnv = VigilOptions.RULES_SIGNING_KEY_ENV.defaultValue();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : privateOut == null ? new Path[] {publicOut} : new Path[] {publicOut, privateOut}) {
            if (Files.exists(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(), p + " exists: a key file is never "
                        + "overwritten (remove it first, or name another file)");
            }
        }
        if (privateOut != null && privateOut.toAbsolutePath().normalize().equals(publicOut.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--public-out and --private-out name the "
                    + "same file");
        }
        KeyPair pair = BundleKeys.generate();
        String keyId = BundleKeys.keyId(pair.getPublic());
        if (privateOut != null) {
            writeOwnerOnly(privateOut, BundleKeys.pem(pair.getPrivate()));
        }
        Files.writeString(publicOut, BundleKeys.pem(pair.getPublic()), StandardOpenOption.CREATE_NEW);
        out.println("key " + keyId);
        out.println("public key written to " + publicOut + " (set rules.public-key to it where the job runs)");
        if (privateOut != null) {
            out.println("private key written to " + privateOut + " (owner-only); sign with it by putting its text in "
                    + "the environment: export " + keyEnv + "=\"$(cat " + privateOut + ")\"");
        } else {
            out.println("private key (shown once; put it in the environment variable " + keyEnv + " of whoever signs "
                    + "bundles, e.g. from a secret store, never in the configuration):");
            out.print(BundleKeys.pem(pair.getPrivate()));
        }
        out.flush();
        return VigilCli.OK;
    }

    /** Creates {@code file} readable and writable by its owner only, before a byte of the key is in it. */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // no POSIX permissions here: the file system's own access control applies
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " exists: a key file is never overwritten", e);
        }
        try (OutputStream os = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            os.write(text.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
