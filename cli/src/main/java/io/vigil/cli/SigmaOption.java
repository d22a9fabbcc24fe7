package io.vigil.cli;

import io.vigil.jobs.config.SigmaDirectories;
import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --sigma DIR}, repeatable: directories of Sigma rules to run besides the DRL rules. It adds
 * to what the configuration's {@code detection.sigma} names, as a repeatable flag is expected to.
 */
public final class SigmaOption {

    /** The flag, as problems name it. */
    static final String FLAG = "--sigma";

    @Option(names = FLAG, paramLabel = "DIR",
            description = "Directory of Sigma rules (*.yml, *.yaml, read recursively) to run besides the DRL rules; "
                    + "repeat it for several. With vigil run, adds to detection.sigma of the configuration. "
                    + "Load rules only from places you trust; a directory others can write to (group- or world-writable) is "
                    + "refused.")
    List<Path> dirs = new ArrayList<>();

    /** The directories named, in order, as text. */
    public List<String> dirs() {
        return dirs.stream().map(Path::toString).toList();
    }

    /** What is wrong with each directory named, each problem naming the flag. */
    public List<String> problems() {
        return SigmaDirectories.problems(dirs(), FLAG);
    }

    /** The Sigma files under every directory named. */
    public List<RuleSource> sources() throws IOException {
        return SigmaDirectories.load(dirs(), FLAG);
    }
}
