package io.vigil.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the shared third-party datasets are: {@code VIGIL_DATASETS}, or {@code ../shared/datasets}
 * next to the checkout. Tests read them in place; they are never copied into the project. A
 * missing dataset fails the test that needs it (it is not skipped).
 */
public final class Datasets {

    private Datasets() {}

    public static Path root() {
        String env = System.getenv("VIGIL_DATASETS");
        Path root;
        if (env != null && !env.isBlank()) {
            root = Paths.get(env);
        } else {
            root = checkoutRoot().resolve("../shared/datasets").normalize();
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("shared datasets not found at " + root
                    + ": set VIGIL_DATASETS or put shared/ beside the checkout");
        }
        return root;
    }

    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("dataset file missing: " + p);
        }
        return p;
    }

    /** The directory holding {@code mvnw}, walking up from the working directory. */
    public static Path checkoutRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("mvnw")) && Files.exists(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the checkout root (mvnw) above " + dir);
    }
}
