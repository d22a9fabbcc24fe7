package io.vigil.context.assets;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextSource;
import io.vigil.context.ContextUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hosts and identities tables of two files (either may be absent: its table starts empty and
 * live tables may fill it). Paths are kept as text: a {@link Path} is not serializable.
 */
public final class AssetsSource implements ContextSource {

    private static final long serialVersionUID = 1L;

    private final String assets;
    private final String identities;

    /** @param assets the hosts table, or {@code null}; @param identities the identities table, or {@code null} */
    public AssetsSource(Path assets, Path identities) {
        this.assets = assets == null ? null : assets.toString();
        this.identities = identities == null ? null : identities.toString();
    }

    @Override
    public String describe() {
        return "assets: " + (assets == null ? "(live only)" : assets)
                + ", identities: " + (identities == null ? "(live only)" : identities);
    }

    @Override
    public ContextPart open() throws IOException {
        HostTable hosts = HostTable.EMPTY;
        IdentityTable ids = IdentityTable.EMPTY;
        if (assets != null) {
            byte[] body = read(assets);
            try {
                hosts = HostTable.parse(assets, TableReader.formatOf(assets, body), body);
            } catch (IllegalArgumentException e) {
                throw new IOException("assets table " + e.getMessage(), e);
            }
        }
        if (identities != null) {
            byte[] body = read(identities);
            try {
                ids = IdentityTable.parse(identities, TableReader.formatOf(identities, body), body);
            } catch (IllegalArgumentException e) {
                throw new IOException("identities table " + e.getMessage(), e);
            }
        }
        return new AssetsPart(hosts, ids);
    }

    private static byte[] read(String file) throws IOException {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new IOException(file + ": no such table file");
        }
        long size = Files.size(p);
        if (size > ContextUpdate.MAX_BODY_BYTES) {
            throw new IOException(file + ": a table file is at most " + ContextUpdate.MAX_BODY_BYTES
                    + " bytes, this one has " + size);
        }
        return Files.readAllBytes(p);
    }
}
