package io.vigil.cli;

import io.vigil.jobs.config.RuleDirectoryPermissions;
import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --rules DIR}: where the DRL rule pack comes from (default: the pack shipped with Vigil). */
public final class RulesOption {

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Directory of DRL rule files (read recursively) to use instead of the pack shipped with "
                    + "Vigil. Load rules only from places you trust: DRL can call Java; a directory others can write to "
                    + "(group- or world-writable) is refused.")
    Path dir;

    /** The DRL sources named, or the packaged pack. */
    public List<RuleSource> sources() throws IOException {
        if (dir == null) {
            return RuleSource.packaged();
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("--rules: no such directory: " + dir);
        }
        String writable = RuleDirectoryPermissions.problem(dir, "--rules");
        if (writable != null) {
            throw new IOException(writable);
        }
        List<RuleSource> sources = RuleSource.load(dir, dir.toString());
        if (sources.isEmpty()) {
            throw new IOException("--rules: no .drl files under " + dir);
        }
        return sources;
    }
}
