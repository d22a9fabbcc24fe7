package io.vigil.context.geo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * A real GeoIP database for tests, never committed: the {@code .mmdb} file of a pinned version of an
 * npm package of ip-location-db, fetched once from the npm registry, checked against the
 * registry's sha512 integrity, and unpacked to {@code ~/.cache/vigil/geoip/<package>-<version>/}.
 * A test that needs it and cannot fetch it fails, saying why.
 *
 * @param npmPackage the npm package name
 * @param version the pinned version
 * @param integrity the registry's {@code dist.integrity} of that version
 * @param file the file inside the package
 */
public record RealGeoIpDatabase(String npmPackage, String version, String integrity, String file) {

    /**
     * {@code @ip-location-db/geo-whois-asn-country-mmdb}: a country code for every public IPv4 and
     * IPv6 network (7.6 MB packed), from the RIRs' WHOIS and AS data (CC BY 4.0, NRO) and geofeeds.
     */
    public static final RealGeoIpDatabase COUNTRY = new RealGeoIpDatabase(
            "@ip-location-db/geo-whois-asn-country-mmdb", "2.3.2026061719",
            "sha512-xemBDNQl4mCYDuVbqe3jKGKsVDykZGkfvebhtOh/3VGLadq8vsp7t7ontpMUt3hH7sAGT0eLDyJ99SV+0waxZg==",
            "geo-whois-asn-country.mmdb");

    private static final String REGISTRY = "https://registry.npmjs.org/";

    /** The unpacked file, fetched first when it is not in the cache. */
    public Path path() {
        String bare = npmPackage.substring(npmPackage.indexOf('/') + 1);
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "vigil", "geoip", bare + "-" + version);
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target)) {
            return target;
        }
        String url = REGISTRY + npmPackage + "/-/" + bare + "-" + version + ".tgz";
        try {
            byte[] tarball = fetch(url);
            String actual = "sha512-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-512").digest(tarball));
            if (!actual.equals(integrity)) {
                throw new AssertionError(url + ": integrity " + actual + ", the pinned one is " + integrity);
            }
            byte[] mmdb = entry(tarball, "package/" + file);
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, file, ".part");
            Files.write(part, mmdb);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError("this test needs the real GeoIP database " + npmPackage + "@" + version
                    + " from " + url + " and could not fetch it: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while fetching " + url, e);
        }
    }

    private static byte[] fetch(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(3)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** The bytes of {@code name} in a gzipped tar (ustar headers of 512 bytes, each file padded to 512). */
    static byte[] entry(byte[] tgz, String name) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String entryName = text(header, 0, 100);
                if (entryName.isEmpty()) {
                    break; // the zero blocks at the end
                }
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty()) {
                    entryName = prefix + "/" + entryName;
                }
                long size = Long.parseLong(text(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                if (entryName.equals(name)) {
                    return in.readNBytes((int) size);
                }
                in.skipNBytes(padded);
            }
        }
        throw new IOException("no " + name + " in the package");
    }

    private static String text(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.US_ASCII);
    }
}
