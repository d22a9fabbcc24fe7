package io.vigil.context;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where a {@link ContextPart} comes from: files named in the configuration, read when a task
 * opens (so a million indicators are never serialized into the job graph). Serializable: it
 * travels with the job to every task.
 */
public interface ContextSource extends Serializable {

    /** What this is, for logs and errors ({@code intel: feeds/abuse.csv}). */
    String describe();

    /** Reads the files and returns the part; the message of a failure says which file and what is wrong. */
    ContextPart open() throws IOException;
}
