package io.vigil.connectors.secret;

import java.io.IOException;
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
        try {
            value = stripLineBreaks(Files.readString(Path.of(name), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("file " + name + " (" + what + ") does not exist");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("file " + name + " (" + what + ") cannot be read: "
                    + e.getClass().getSimpleName());
        }
        if (value.isEmpty()) {
            throw new IllegalStateException("file " + name + " (" + what + ") is empty");
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
