package io.vigil.jobs.incident;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;

/**
 * Where the stream reads an incident's status, supplied by the job (Elasticsearch in the stream;
 * none in a replay without it). Serializable so the assembly operator carries it; each operator
 * instance opens its own reader.
 */
public interface IncidentStatusSource extends Serializable {

    Reader open() throws IOException;

    /** Reads incidents' statuses; may be slow or fail, which the caller bounds and survives. */
    interface Reader extends Closeable {
        /** The status of incident {@code id}, or {@code null} when there is no such incident. */
        Status read(String id) throws IOException;
    }

    /** An incident's status ({@code open}, {@code acknowledged}, {@code closed}) and last-seen time (epoch ms). */
    record Status(String status, long lastSeen) {}
}
