package io.vigil.connectors.secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a secret is read from: an environment variable or a file, named, never held. Serializable,
 * so connectors can carry it into a Flink job; the value is read only by {@link #read}, where the
 * client using it is built (on the TaskManagers for the job's sinks and sources).
 *
 * <p>A file holds the secret alone; its trailing line breaks are not part of it (what {@code echo
 * secret > file} and Kubernetes/Docker secrets leave). Messages name the variable or the file,
 * never the value.
 */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where the value comes from. */
    public enum Kind { ENV, FILE }

    /** The largest secret file read: a secret is a line, not a document. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private final Kind kind;
    private final String name;

    private Secret(Kind kind, String name) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a secret needs the name of its " + (kind == Kind.ENV
                    ? "environment variable" : "file"));
        }
        this.name = name.strip();
    }

    /** The secret in environment variable {@code variable}. */
    public static Secret env(String variable) {
        return new Secret(Kind.ENV, variable);
    }

    /** The secret in file {@code path}. */
    public static Secret file(String path) {
        return new Secret(Kind.FILE, path);
    }

    /**
     * The secret of an {@code …-env} / {@code …-file} pair of settings: the one given, {@code null}
     * when neither is.
     *
     * @param what what the secret is, for the message ({@code "the SASL password"})
     * @throws IllegalArgumentException when both are given, naming both keys
     */
    public static Secret either(String envVariable, String file, String envKey, String fileKey, String what) {
        boolean env = envVariable != null && !envVariable.isBlank();
        boolean f = file != null && !file.isBlank();
        if (env && f) {
            throw new IllegalArgumentException(what + " is given twice: set " + envKey + " (an environment variable) "
                    + "or " + fileKey + " (a file), not both");
        }
        return env ? env(envVariable) : f ? file(file) : null;
    }

    public Kind kind() {
        return kind;
    }

    /** The variable's name or the file's path. */
    public String name() {
        return name;
    }

    /**
     * The value, variables read through {@code env}.
     *
     * @throws IllegalStateException naming the variable or file (and {@code what}) when it is not
     *     set, empty, or cannot be read
     */
    public String read(Function<String, String> env, String what) {
        String value;
        if (kind == Kind.ENV) {
            value = env.apply(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("environment variable " + name + " (" + what + ") is not set");
            }
            return value;
        }
        String file = "file " + name + " (" + what + ")";
        try {
            Path path = Path.of(name);
            if (!Files.exists(path)) {
                throw new NoSuchFileException(name);
            }
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException(file + " is not a regular file");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalStateException(file + " is larger than " + MAX_FILE_BYTES / 1024 + " KiB");
            }
            value = new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(file + " does not exist");
        } catch (IllegalStateException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (value.startsWith("\uFEFF")) {
            value = value.substring(1); // a byte order mark some editors write
        }
        value = stripLineBreaks(value);
        if (value.isEmpty()) {
            throw new IllegalStateException(file + " is empty");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalStateException(file + " has a line break or NUL inside the value; a secret file holds "
                    + "one line");
        }
        return value;
    }

    /** The value from the process environment or the file. */
    public String read(String what) {
        return read(System::getenv, what);
    }

    /**
     * Why the secret could not be read in this process, or {@code null} when it can: for a warning
     * where a job is built (the processes that read it may have what this one has not).
     */
    public String unavailable(Function<String, String> env, String what) {
        try {
            read(env, what);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * Why this secret's file path cannot be used in a configuration, or {@code null}: a relative
     * path (the processes that read it run in other directories).
     */
    public String pathProblem(String key) {
        if (kind == Kind.FILE && !Path.of(name).isAbsolute()) {
            return key + ": " + name + " is not an absolute path; the processes that read it may run in another "
                    + "directory";
        }
        return null;
    }

    /**
     * Whether {@code value} has a character an HTTP header must not carry: CR, LF, NUL or a C1
     * control character.
     */
    public static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0x7e && c < 0xa0) {
                return true;
            }
        }
        return false;
    }

    /** {@code $NAME} or {@code file PATH}, for messages. */
    public String describe() {
        return kind == Kind.ENV ? "$" + name : "file " + name;
    }

    /** The secret's text without its trailing line breaks. */
    static String stripLineBreaks(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && kind == s.kind && name.equals(s.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name);
    }

    @Override
    public String toString() {
        return describe();
    }
}
