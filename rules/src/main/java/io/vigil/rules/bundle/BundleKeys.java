package io.vigil.rules.bundle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 keys of rule bundles. The private key signs ({@code vigil rules bundle}) and is
 * read only from an environment variable (docs/architecture.md, invariant 7); the public key is a
 * file the job's configuration names ({@code rules.public-key}). Both are PEM (PKCS#8 and X.509, as
 * {@code openssl genpkey -algorithm ed25519} writes them) or their bare base64.
 */
public final class BundleKeys {

    /** The environment variable holding the signing key unless told otherwise. */
    public static final String DEFAULT_SIGNING_KEY_ENV = "VIGIL_RULES_SIGNING_KEY";
    public static final String ALGORITHM = "Ed25519";

    private BundleKeys() {}

    /** A new key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no " + ALGORITHM + " (Java 15 and later do)", e);
        }
    }

    /** The private key in environment variable {@code var}; the message says how to set it when absent. */
    public static PrivateKey privateKeyFromEnv(String var) throws BundleException {
        String text = System.getenv(var);
        if (text == null || text.isBlank()) {
            throw new BundleException("signature", "environment variable " + var + " holds no signing key: set it to "
                    + "the private key (PEM or base64 PKCS#8 Ed25519; vigil rules keygen makes a pair)");
        }
        return privateKey(text, "environment variable " + var);
    }

    /** A private key from its PEM or base64 PKCS#8 text; {@code where} names it in errors. */
    public static PrivateKey privateKey(String text, String where) throws BundleException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(text, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BundleException("signature", where + " is not an Ed25519 private key (PEM or base64 PKCS#8): "
                    + e.getMessage());
        }
    }

    /** The public key in {@code file}. */
    public static PublicKey publicKey(Path file) throws BundleException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new BundleException("signature", "cannot read the public key " + file + ": " + e.getMessage());
        }
        return publicKey(text, file.toString());
    }

    /** A public key from its PEM or base64 X.509 text; {@code where} names it in errors. */
    public static PublicKey publicKey(String text, String where) throws BundleException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(text, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BundleException("signature", where + " is not an Ed25519 public key (PEM or base64 X.509): "
                    + e.getMessage());
        }
    }

    /**
     * The public key of {@code key}: the JDK derives an Ed25519 public key only while generating a
     * pair, so the pair is generated again from the private key's own 32 bytes (RFC 8032 makes the
     * private key exactly the random bytes the generator draws). Lets {@code vigil rules bundle}
     * check a bundle against the key the job will hold, without asking for it.
     */
    public static PublicKey publicKey(PrivateKey key) throws BundleException {
        byte[] seed = key instanceof EdECPrivateKey ed ? ed.getBytes().orElse(null) : null;
        if (seed == null || seed.length != 32) {
            throw new BundleException("signature", "not an Ed25519 private key with its 32 bytes");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            KeyPair pair = generator.generateKeyPair();
            if (!Arrays.equals(pair.getPrivate().getEncoded(), key.getEncoded())) {
                throw new BundleException("signature", "cannot derive the public key of this private key");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw new BundleException("signature", "cannot derive the public key of this private key: " + e.getMessage());
        }
    }

    /** PEM of a private key (PKCS#8). */
    public static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** PEM of a public key (X.509). */
    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** A short name of a public key: the first 16 hex digits of the SHA-256 of its encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String text, String type) {
        String body = text.strip();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        if (body.startsWith("-----BEGIN")) {
            int b = body.indexOf(begin);
            int e = body.indexOf(end);
            if (b != 0 || e < 0) {
                throw new IllegalArgumentException("expected a PEM block " + begin);
            }
            body = body.substring(begin.length(), e);
        }
        return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
    }
}
