package io.vigil.rules.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule bundle as an archive: what signing covers, and what reading refuses (hostile names,
 * duplicates, too many entries, too many bytes) before anything in it is used.
 */
class RuleBundleTest {

    private static final KeyPair KEYS = BundleKeys.generate();
    private static final KeyPair OTHER = BundleKeys.generate();

    private static final String MANIFEST = """
            version: 2026.12.07-1
            author: alice
            created: 2026-12-07T14:00:00Z
            description: first bundle
            """;

    @TempDir
    Path dir;

    private RuleBundle fromDirectory() throws Exception {
        Files.writeString(dir.resolve("manifest.yml"), MANIFEST);
        Files.createDirectories(dir.resolve("auth"));
        Files.writeString(dir.resolve("auth/sudo.drl"), "package mine;\n");
        Files.writeString(dir.resolve("auth/too-many-sudo.fixtures.json"), "{}");
        Files.createDirectories(dir.resolve("sigma/win"));
        Files.writeString(dir.resolve("sigma/win/whoami.yml"), "title: whoami\n");
        return RuleBundle.fromDirectory(dir);
    }

    /** The entries of {@code archive} by name, in archive order. */
    private static Map<String, byte[]> entries(byte[] archive) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                out.put(e.getName(), zip.readAllBytes());
            }
        }
        return out;
    }

    /** A ZIP archive of {@code entries}, in their order, names as given (no checks: a hostile archive). */
    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void refused(ThrowingCallable call, String step, String message) {
        assertThatThrownBy(call).isInstanceOf(BundleException.class)
                .satisfies(e -> assertThat(((BundleException) e).step()).isEqualTo(step))
                .hasMessageContaining(message);
    }

    @Test
    void aSignedBundleRoundTripsAndVerifies() throws Exception {
        RuleBundle signed = fromDirectory().signed(KEYS.getPrivate());
        byte[] archive = signed.toBytes();

        RuleBundle read = RuleBundle.read(archive);
        read.verify(KEYS.getPublic());
        assertThat(read.isSigned()).isTrue();
        assertThat(read.digest()).isEqualTo(signed.digest());
        assertThat(read.manifest().version()).isEqualTo("2026.12.07-1");
        assertThat(read.manifest().author()).isEqualTo("alice");
        assertThat(read.ruleSources()).extracting(s -> s.file())
                .containsExactly("bundle:2026.12.07-1/auth/sudo.drl", "bundle:2026.12.07-1/sigma/win/whoami.yml");
        assertThat(read.fixturesText("bundle:2026.12.07-1/auth/sudo.drl", "too-many-sudo")).isEqualTo("{}");
        // the same bundle gives the same bytes (fixed entry times, name order)
        assertThat(RuleBundle.read(archive).toBytes()).isEqualTo(archive);
    }

    @Test
    void theDigestDoesNotDependOnEntryOrder() throws Exception {
        byte[] archive = fromDirectory().signed(KEYS.getPrivate()).toBytes();
        Map<String, byte[]> reversed = new LinkedHashMap<>();
        List<Map.Entry<String, byte[]>> inOrder = new ArrayList<>(entries(archive).entrySet());
        Collections.reverse(inOrder);
        inOrder.forEach(e -> reversed.put(e.getKey(), e.getValue()));
        RuleBundle read = RuleBundle.read(zip(reversed));
        read.verify(KEYS.getPublic());
        assertThat(read.digest()).isEqualTo(RuleBundle.read(archive).digest());
    }

    @Test
    void aTamperedEntryFailsTheSignature() throws Exception {
        Map<String, byte[]> entries = entries(fromDirectory().signed(KEYS.getPrivate()).toBytes());
        entries.put("auth/sudo.drl", bytes("package mine;\n// changed\n"));
        RuleBundle read = RuleBundle.read(zip(entries));
        refused(() -> read.verify(KEYS.getPublic()), "signature", "does not verify with the configured public key "
                + BundleKeys.keyId(KEYS.getPublic()));
    }

    @Test
    void anEntryAddedAfterSigningFailsTheSignature() throws Exception {
        Map<String, byte[]> entries = entries(fromDirectory().signed(KEYS.getPrivate()).toBytes());
        entries.put("auth/extra.drl", bytes("package mine;\n"));
        RuleBundle read = RuleBundle.read(zip(entries));
        refused(() -> read.verify(KEYS.getPublic()), "signature", "changed after signing");
    }

    @Test
    void anEntryRemovedAfterSigningFailsTheSignature() throws Exception {
        Map<String, byte[]> entries = entries(fromDirectory().signed(KEYS.getPrivate()).toBytes());
        entries.remove("sigma/win/whoami.yml");
        RuleBundle read = RuleBundle.read(zip(entries));
        refused(() -> read.verify(KEYS.getPublic()), "signature", "does not verify");
    }

    @Test
    void anotherKeyFailsTheSignature() throws Exception {
        RuleBundle read = RuleBundle.read(fromDirectory().signed(OTHER.getPrivate()).toBytes());
        refused(() -> read.verify(KEYS.getPublic()), "signature", "signed with another key");
    }

    @Test
    void anUnsignedBundleIsRefused() throws Exception {
        RuleBundle read = RuleBundle.read(fromDirectory().toBytes());
        assertThat(read.isSigned()).isFalse();
        refused(() -> read.verify(KEYS.getPublic()), "signature", "bundle 2026.12.07-1 is not signed");
    }

    @Test
    void aSignatureThatIsNotEd25519TextIsRefused() throws Exception {
        Map<String, byte[]> entries = entries(fromDirectory().signed(KEYS.getPrivate()).toBytes());
        entries.put("SIGNATURE", bytes("rsa:AAAA"));
        refused(() -> RuleBundle.read(zip(entries)), "signature", "SIGNATURE is not 'ed25519:<base64>'");
    }

    @Test
    void aBundleWithoutManifestIsRefused() throws Exception {
        refused(() -> RuleBundle.read(zip(Map.of("a.drl", bytes("package a;\n")))), "manifest",
                "the bundle has no manifest.yml");
    }

    @Test
    void anInvalidManifestIsRefusedNamingTheKey() throws Exception {
        refused(() -> RuleBundle.read(zip(Map.of("manifest.yml", bytes("version: 1\nauthor: a\n")))), "manifest",
                "needs version, author and created");
        refused(() -> RuleBundle.read(zip(Map.of("manifest.yml", bytes(MANIFEST + "signer: bob\n")))), "manifest",
                "unknown key 'signer'");
        refused(() -> RuleBundle.read(zip(Map.of("manifest.yml", bytes(MANIFEST.replace("2026.12.07-1", "../x"))))),
                "manifest", "version '../x'");
        refused(() -> RuleBundle.read(zip(Map.of("manifest.yml",
                bytes(MANIFEST.replace("2026-12-07T14:00:00Z", "yesterday"))))), "manifest", "created 'yesterday'");
        refused(() -> RuleBundle.read(zip(Map.of("manifest.yml", bytes("- a\n- b\n")))), "manifest",
                "must be a mapping");
    }

    @Test
    void namesThatClimbOrAreAbsoluteAreRefused() {
        for (String name : new String[] {"../evil.drl", "rules/../../evil.drl", "/etc/evil.drl", "C:/evil.drl",
                "rules\\evil.drl", "rules//evil.drl", "./evil.drl"}) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("manifest.yml", bytes(MANIFEST));
            entries.put(name, bytes("package evil;\n"));
            refused(() -> RuleBundle.read(zip(entries)), "archive", "entry name not allowed in a bundle");
        }
    }

    @Test
    void aNameTwiceIsRefused() throws Exception {
        // ZipOutputStream refuses duplicate names, so the second copy is spliced in by renaming a
        // same-length entry in the archive's bytes (local header and central directory alike)
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.yml", bytes(MANIFEST));
        entries.put("a.drl", bytes("package a;\n"));
        entries.put("b.drl", bytes("package b;\n"));
        String archive = new String(zip(entries), StandardCharsets.ISO_8859_1).replace("b.drl", "a.drl");
        refused(() -> RuleBundle.read(archive.getBytes(StandardCharsets.ISO_8859_1)), "archive",
                "holds 'a.drl' twice");
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.yml", bytes(MANIFEST));
        for (int i = 0; i < RuleBundle.MAX_ENTRIES; i++) {
            entries.put("r/" + i + ".drl", new byte[0]);
        }
        refused(() -> RuleBundle.read(zip(entries)), "archive", "at most " + RuleBundle.MAX_ENTRIES + " files");
    }

    @Test
    void aZipBombIsRefusedBeforeItIsInflated() throws Exception {
        // one entry of zeros just over the limit: a few hundred KiB compressed
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("manifest.yml"));
            zip.write(bytes(MANIFEST));
            zip.putNextEntry(new ZipEntry("bomb.drl"));
            byte[] zeros = new byte[1 << 20];
            for (long n = 0; n <= RuleBundle.MAX_BYTES; n += zeros.length) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertThat(out.size()).isLessThan(1 << 20);
        refused(() -> RuleBundle.read(out.toByteArray()), "archive", "at most " + (RuleBundle.MAX_BYTES >> 20)
                + " MiB uncompressed");
    }

    @Test
    void somethingThatIsNotAZipIsRefused() {
        refused(() -> RuleBundle.read(bytes("rule \"x\" when then end")), "archive", "not a rule bundle");
    }

    @Test
    void aDirectoryWithASymbolicLinkIsNotBundled() throws Exception {
        Files.writeString(dir.resolve("manifest.yml"), MANIFEST);
        Files.createSymbolicLink(dir.resolve("passwd.drl"), Path.of("/etc/passwd"));
        refused(() -> RuleBundle.fromDirectory(dir), "archive", "symbolic links are not bundled");
    }

    @Test
    void aSignatureLeftInTheDirectoryIsNotContent() throws Exception {
        RuleBundle first = fromDirectory();
        Files.writeString(dir.resolve("SIGNATURE"), "ed25519:AAAA\n");
        assertThat(RuleBundle.fromDirectory(dir).digest()).isEqualTo(first.digest());
    }
}
