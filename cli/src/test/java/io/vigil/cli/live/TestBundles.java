package io.vigil.cli.live;

import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.RuleBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

/** Signed bundles for the live-rules command tests: the packaged SSH rules, or a variant, with their fixtures. */
public final class TestBundles {

    private static final String SSH = "/io/vigil/rules/ssh/";

    private TestBundles() {}

    public static String packaged(String name) throws IOException {
        try (InputStream in = TestBundles.class.getResourceAsStream(SSH + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A bundle of version {@code version} holding {@code files} (path in the bundle to text), signed with {@code key}. */
    public static Path write(Path dir, String version, Map<String, String> files, KeyPair key) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src-" + version + "-" + System.nanoTime()));
        Files.writeString(src.resolve("manifest.yml"), "version: " + version + "\nauthor: carol\n"
                + "created: 2026-03-01T09:00:00Z\ndescription: test bundle " + version + "\n");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = src.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        byte[] archive = RuleBundle.fromDirectory(src).signed(key.getPrivate()).toBytes();
        Path out = dir.resolve("rules-" + version + ".zip");
        Files.write(out, archive);
        return out;
    }

    /** The packaged SSH rules and their fixtures, as version {@code version}. */
    public static Path ssh(Path dir, String version, KeyPair key) throws Exception {
        return write(dir, version, Map.of("ssh/ssh.drl", packaged("ssh.drl"),
                "ssh/ssh-brute-force.fixtures.json", packaged("ssh-brute-force.fixtures.json"),
                "ssh/ssh-user-enumeration.fixtures.json", packaged("ssh-user-enumeration.fixtures.json")), key);
    }

    /** The public key of {@code key} in a PEM file. */
    public static Path publicKey(Path dir, KeyPair key) throws IOException {
        Path p = dir.resolve("rules-public-" + System.nanoTime() + ".pem");
        Files.writeString(p, BundleKeys.pem(key.getPublic()));
        return p;
    }
}
