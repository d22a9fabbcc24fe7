package io.vigil.formats.access;

import java.time.Instant;

/**
 * The parts of one access-log line, as the scanner found them. {@code null} stands for a field
 * the line does not carry or writes as {@code -}.
 */
public record AccessLogLine(
        String client,
        String user,
        Instant timestamp,
        String request,
        String method,
        String target,
        String httpVersion,
        Integer status,
        Long bytes,
        String referrer,
        String userAgent,
        boolean combined,
        boolean userAgentTruncated,
        boolean requestUnparsed) {}
