package io.vigil.rules.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The public key of a signing key, derived so that a bundle can be checked where it is made. */
class BundleKeysTest {

    @Test
    void thePublicKeyOfAPrivateKeyIsTheOneGeneratedWithIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = BundleKeys.generate();
            assertThat(BundleKeys.publicKey(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }
    }

    @Test
    void theDerivedKeyVerifiesWhatThePrivateKeySigned() throws Exception {
        KeyPair pair = BundleKeys.generate();
        String pem = BundleKeys.pem(pair.getPrivate());
        RuleBundle bundle = RuleBundle.read(RuleBundle.read(manifestOnly()).signed(BundleKeys.privateKey(pem, "pem"))
                .toBytes());
        bundle.verify(BundleKeys.publicKey(BundleKeys.privateKey(pem, "pem")));
    }

    @Test
    void aKeyOfAnotherAlgorithmIsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        assertThatThrownBy(() -> BundleKeys.publicKey(rsa.generateKeyPair().getPrivate()))
                .isInstanceOf(BundleException.class).hasMessageContaining("not an Ed25519 private key");
    }

    private static byte[] manifestOnly() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(RuleBundle.MANIFEST));
            zip.write("version: k1\nauthor: a\ncreated: 2026-12-07T14:00:00Z\n".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
