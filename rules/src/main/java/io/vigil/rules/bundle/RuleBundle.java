package io.vigil.rules.bundle;

import io.vigil.rules.RuleSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A rule bundle: DRL files with their fixtures, Sigma rules, exceptions and Sigma regression
 * samples, with a manifest, signed with Ed25519. It travels as a ZIP archive
 * ({@link #toBytes()}, {@link #read(byte[])}); the layout is
 *
 * <pre>
 * manifest.yml                   version, author, created, description ({@link BundleManifest})
 * exceptions.yml                 exceptions (optional)
 * sigma/**.yml                   Sigma rules
 * regression/**                  Sigma regression samples (optional): one folder per test, as SigmaHQ lays them out
 * any other **.drl               DRL rules, each rule's &lt;id&gt;.fixtures.json beside its file
 * SIGNATURE                      ed25519:&lt;base64&gt; over the digest of every other entry
 * </pre>
 *
 * <p>DRL can call Java, so a bundle is code: a running job takes one only when its signature
 * verifies with the configured public key (docs/architecture.md, invariant 6). The digest covers
 * every entry's name and bytes in name order, so a bundle is the same whatever the archive's entry
 * order or timestamps. Reading is bounded ({@link #MAX_ENTRIES}, {@link #MAX_BYTES}) and refuses
 * names that are absolute, climb ({@code ..}) or repeat.
 */
public final class RuleBundle {

    public static final String MANIFEST = "manifest.yml";
    public static final String SIGNATURE = "SIGNATURE";
    public static final String EXCEPTIONS = "exceptions.yml";
    public static final String SIGMA_DIR = "sigma/";
    public static final String REGRESSION_DIR = "regression/";
    /** Most entries an archive may hold (SigmaHQ's whole rule tree with its samples is about 4,000). */
    public static final int MAX_ENTRIES = 20_000;
    /** Most bytes the entries of an archive may hold, uncompressed. */
    public static final long MAX_BYTES = 64L << 20;

    private static final String SIGNATURE_PREFIX = "ed25519:";
    /** What is signed: this domain tag, then the digest (so a signature means nothing elsewhere). */
    private static final byte[] DOMAIN = "vigil-rule-bundle-v1\0".getBytes(StandardCharsets.US_ASCII);

    private final SortedMap<String, byte[]> files;
    private final BundleManifest manifest;
    private final byte[] signature;

    private RuleBundle(SortedMap<String, byte[]> files, byte[] signature) throws BundleException {
        this.files = Collections.unmodifiableSortedMap(files);
        byte[] m = files.get(MANIFEST);
        if (m == null) {
            throw new BundleException("manifest", "the bundle has no " + MANIFEST + " (version, author, created, "
                    + "description)");
        }
        this.manifest = BundleManifest.parse(m);
        this.signature = signature;
    }

    /** The unsigned bundle of the files under {@code dir} (which must hold {@value #MANIFEST}). */
    public static RuleBundle fromDirectory(Path dir) throws IOException, BundleException {
        return fromDirectory(dir, null);
    }

    /**
     * The unsigned bundle of the files under {@code dir} with {@code manifest} as its
     * {@value #MANIFEST}, or the directory's own when {@code manifest} is null. The directory is
     * not changed: a manifest given here must not be in it too.
     */
    public static RuleBundle fromDirectory(Path dir, BundleManifest manifest) throws IOException, BundleException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such directory: " + dir);
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        long total = 0;
        if (manifest != null) {
            if (Files.exists(dir.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
                throw new BundleException("manifest", dir + " has its own " + MANIFEST + ": bundle it as it is, or "
                        + "remove it to give the manifest otherwise");
            }
            byte[] yaml = manifest.toYaml();
            files.put(MANIFEST, yaml);
            total += yaml.length;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isSymbolicLink(p)) {
                    throw new BundleException("archive", "symbolic links are not bundled (copy the file instead): " + p);
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String name = dir.relativize(p).toString().replace('\\', '/');
                if (name.equals(SIGNATURE)) {
                    continue; // a signature of an earlier build is not part of the content
                }
                byte[] bytes = Files.readAllBytes(p);
                total += bytes.length;
                if (files.size() >= MAX_ENTRIES || total > MAX_BYTES) {
                    throw new BundleException("archive", "a bundle holds at most " + MAX_ENTRIES + " files and "
                            + (MAX_BYTES >> 20) + " MiB: " + dir + " has more");
                }
                files.put(checkName(name), bytes);
            }
        }
        return new RuleBundle(files, null);
    }

    /** Reads an archive made by {@link #toBytes()}; whether it is signed is checked by {@link #verify}. */
    public static RuleBundle read(byte[] archive) throws BundleException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        byte[] signature = null;
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = checkName(entry.getName());
                if (files.size() >= MAX_ENTRIES) {
                    throw new BundleException("archive", "a bundle holds at most " + MAX_ENTRIES + " files");
                }
                byte[] bytes = readBounded(zip, MAX_BYTES - total);
                total += bytes.length;
                if (name.equals(SIGNATURE)) {
                    if (signature != null) {
                        throw new BundleException("archive", "the bundle holds two " + SIGNATURE + " entries");
                    }
                    signature = parseSignature(bytes);
                } else if (files.put(name, bytes) != null) {
                    throw new BundleException("archive", "the bundle holds '" + name + "' twice");
                }
            }
        } catch (IOException e) {
            throw new BundleException("archive", "not a rule bundle (a ZIP archive made by vigil rules bundle): "
                    + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new BundleException("archive", "not a rule bundle (a ZIP archive made by vigil rules bundle): "
                    + "no entries");
        }
        return new RuleBundle(files, signature);
    }

    private static byte[] readBounded(InputStream in, long budget) throws IOException, BundleException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > budget) {
                throw new BundleException("archive", "a bundle holds at most " + (MAX_BYTES >> 20)
                        + " MiB uncompressed");
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    private static String checkName(String name) throws BundleException {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")
                || name.length() > 512 || (name.length() > 1 && name.charAt(1) == ':')) {
            throw new BundleException("archive", "entry name not allowed in a bundle: '" + printable(name) + "'");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new BundleException("archive", "entry name not allowed in a bundle: '" + printable(name) + "'");
            }
        }
        return name;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static byte[] parseSignature(byte[] bytes) throws BundleException {
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(SIGNATURE_PREFIX)) {
            throw new BundleException("signature", SIGNATURE + " is not '" + SIGNATURE_PREFIX + "<base64>'");
        }
        try {
            return Base64.getDecoder().decode(text.substring(SIGNATURE_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new BundleException("signature", SIGNATURE + " is not '" + SIGNATURE_PREFIX + "<base64>'");
        }
    }

    /** The archive: entries in name order with a fixed time, so the same bundle gives the same bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
            if (signature != null) {
                put(zip, SIGNATURE, (SIGNATURE_PREFIX + Base64.getEncoder().encodeToString(signature) + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0L);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** This bundle signed with {@code key}. */
    public RuleBundle signed(PrivateKey key) throws BundleException {
        try {
            Signature s = Signature.getInstance(BundleKeys.ALGORITHM);
            s.initSign(key);
            s.update(DOMAIN);
            s.update(digestBytes());
            return new RuleBundle(new TreeMap<>(files), s.sign());
        } catch (GeneralSecurityException e) {
            throw new BundleException("signature", "cannot sign with this key (an Ed25519 private key is needed): "
                    + e.getMessage());
        }
    }

    /** Passes when the bundle is signed and the signature verifies with {@code key}; else says why. */
    public void verify(PublicKey key) throws BundleException {
        if (signature == null) {
            throw new BundleException("signature", "bundle " + manifest.version() + " is not signed (vigil rules "
                    + "bundle signs it); unsigned rules never enter a running job");
        }
        boolean ok;
        try {
            Signature s = Signature.getInstance(BundleKeys.ALGORITHM);
            s.initVerify(key);
            s.update(DOMAIN);
            s.update(digestBytes());
            ok = s.verify(signature);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new BundleException("signature", "the signature of bundle " + manifest.version() + " does not "
                    + "verify with the configured public key " + BundleKeys.keyId(key) + " (signed with another key, "
                    + "or changed after signing)");
        }
    }

    public boolean isSigned() {
        return signature != null;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** Every entry but the signature, by name. */
    public SortedMap<String, byte[]> files() {
        return files;
    }

    /** The SHA-256 of the content (names and bytes of every entry but the signature), in hex. */
    public String digest() {
        return HexFormat.of().formatHex(digestBytes());
    }

    private byte[] digestBytes() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                d.update(name);
                d.update((byte) 0);
                d.update(longBytes(e.getValue().length));
                d.update(e.getValue());
            }
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /**
     * The rules: each {@code .drl} file outside {@code sigma/} and {@code regression/}, and each
     * {@code .yml}/{@code .yaml} under {@code sigma/}, named {@code bundle:<version>/<path>}.
     */
    public List<RuleSource> ruleSources() {
        List<RuleSource> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String name = e.getKey();
            boolean sigma = name.startsWith(SIGMA_DIR) && (name.endsWith(".yml") || name.endsWith(".yaml"));
            boolean drl = name.endsWith(".drl") && !name.startsWith(SIGMA_DIR) && !name.startsWith(REGRESSION_DIR);
            if (sigma || drl) {
                out.add(new RuleSource(sourceName(name), new String(e.getValue(), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /** The name a rule file of this bundle is reported under. */
    public String sourceName(String entry) {
        return "bundle:" + manifest.version() + "/" + entry;
    }

    /** The text of the fixtures of rule {@code ruleId} beside {@code ruleFile} (a {@link #sourceName}), or null. */
    public String fixturesText(String ruleFile, String ruleId) {
        String prefix = "bundle:" + manifest.version() + "/";
        if (!ruleFile.startsWith(prefix)) {
            return null;
        }
        String entry = ruleFile.substring(prefix.length());
        String dir = entry.contains("/") ? entry.substring(0, entry.lastIndexOf('/') + 1) : "";
        byte[] bytes = files.get(dir + ruleId + ".fixtures.json");
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The text of {@value #EXCEPTIONS}, or null when the bundle has none. */
    public String exceptionsText() {
        byte[] bytes = files.get(EXCEPTIONS);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The Sigma regression samples: the entries under {@code regression/}, by name below it. */
    public SortedMap<String, byte[]> regression() {
        SortedMap<String, byte[]> out = new TreeMap<>();
        files.subMap(REGRESSION_DIR, REGRESSION_DIR + Character.MAX_VALUE)
                .forEach((k, v) -> out.put(k.substring(REGRESSION_DIR.length()), v));
        return out;
    }
}
