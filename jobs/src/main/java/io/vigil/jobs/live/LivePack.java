package io.vigil.jobs.live;

import io.vigil.rules.RuleMeta;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A rule pack as the tasks run it: verified rules and exceptions, with the version and digest of
 * the bundle they came from ({@link #LOCAL} for the rules the job was started with).
 */
public record LivePack(String version, String digest, RuleSet rules, RuleExceptions exceptions)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The version name of the rules a job was started with ({@code --rules}, or the packaged pack). */
    public static final String LOCAL = "local";

    public LivePack {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(rules, "rules");
        exceptions = exceptions == null ? RuleExceptions.NONE : exceptions;
    }

    public static LivePack local(RuleSet rules, RuleExceptions exceptions) {
        return new LivePack(LOCAL, null, rules, exceptions);
    }

    public RuleMeta rule(String id) {
        return rules.active().get(id);
    }

    /** The pack in Java serialization, as a broadcast {@link PackUpdate} carries it. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static LivePack fromBytes(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (LivePack) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
