package io.vigil.formats.zeek;

import io.vigil.model.SecurityEvent;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Zeek logs Vigil knows, each with its ECS mapping and column allow-list. Column names are
 * those of Zeek's default scripts (docs.zeek.org, "Log Files"). The common columns {@code ts},
 * {@code uid} and {@code id.*} are mapped by the decoder for every log, known or not.
 *
 * <p>{@code event.action} per log: conn {@code network_flow}, dns {@code dns_query}, http
 * {@code http_request}, kerberos {@code kerberos_request}, ssl {@code tls_session}, files
 * {@code file_transfer}, weird {@code protocol_anomaly}, analyzer {@code analyzer_failure},
 * smb_mapping {@code smb_share_mapping}, smb_files {@code smb_file_access}, pe {@code pe_analysis},
 * x509 {@code x509_certificate}, packet_filter {@code packet_filter_install}, dce_rpc {@code dce_rpc_call}, ntlm
 * {@code ntlm_authentication}, ssh {@code ssh_session}, rdp {@code rdp_session}, notice
 * {@code zeek_notice}.
 */
public final class ZeekLogs {

    private static final List<String> NETWORK = List.of("network");

    private static final Map<String, ZeekLog> BY_PATH = Stream.of(
            new ZeekLog("conn", "network_flow", NETWORK, List.of("connection"),
                    List.of("proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig",
                            "local_resp", "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts",
                            "resp_ip_bytes", "tunnel_parents", "orig_l2_addr", "resp_l2_addr", "vlan", "inner_vlan",
                            "community_id", "ip_proto"),
                    ZeekLogs::conn),
            new ZeekLog("dns", "dns_query", NETWORK, List.of("protocol"),
                    List.of("proto", "trans_id", "rtt", "query", "qclass", "qclass_name", "qtype", "qtype_name",
                            "rcode", "rcode_name", "AA", "TC", "RD", "RA", "Z", "answers", "TTLs", "rejected",
                            "auth", "addl"),
                    ZeekLogs::dns),
            new ZeekLog("http", "http_request", List.of("network", "web"), List.of("protocol", "access"),
                    // password is deliberately not listed: credentials never become event fields
                    List.of("trans_depth", "status_msg", "info_code", "info_msg", "tags", "proxied", "origin",
                            "orig_fuids", "orig_filenames", "orig_mime_types", "resp_fuids", "resp_filenames", "resp_mime_types"),
                    ZeekLogs::http),
            new ZeekLog("kerberos", "kerberos_request", List.of("network", "authentication"), List.of("protocol"),
                    List.of("request_type", "client", "service", "success", "error_code", "error_msg", "from", "till",
                            "cipher", "forwardable", "renewable", "client_cert_subject", "client_cert_fuid",
                            "server_cert_subject", "server_cert_fuid"),
                    ZeekLogs::kerberos),
            new ZeekLog("ssl", "tls_session", NETWORK, List.of("protocol"),
                    List.of("version", "cipher", "curve", "server_name", "resumed", "last_alert", "next_protocol",
                            "established", "ssl_history", "cert_chain_fps", "client_cert_chain_fps",
                            "sni_matches_cert", "cert_chain_fuids", "client_cert_chain_fuids", "subject", "issuer",
                            "client_subject", "client_issuer", "validation_status", "ja3", "ja3s"),
                    ZeekLogs::ssl),
            new ZeekLog("files", "file_transfer", List.of("file"), List.of("info"),
                    List.of("fuid", "source", "depth", "analyzers", "mime_type", "filename", "duration", "local_orig",
                            "is_orig", "seen_bytes", "total_bytes", "missing_bytes", "overflow_bytes", "timedout",
                            "parent_fuid", "md5", "sha1", "sha256", "extracted", "extracted_cutoff", "extracted_size",
                            "tx_hosts", "rx_hosts", "conn_uids", "entropy"),
                    ZeekLogs::files),
            new ZeekLog("weird", "protocol_anomaly", NETWORK, List.of("info"),
                    List.of("name", "addl", "notice", "peer", "source"), ZeekLogs::none),
            new ZeekLog("analyzer", "analyzer_failure", NETWORK, List.of("info"),
                    List.of("cause", "analyzer_kind", "analyzer_name", "fuid", "failure_reason", "failure_data"),
                    ZeekLogs::none),
            new ZeekLog("smb_mapping", "smb_share_mapping", NETWORK, List.of("access"),
                    List.of("path", "service", "native_file_system", "share_type"), ZeekLogs::none),
            // the files opened, read, written, renamed or deleted over SMB (Sigma's zeek smb_files rules)
            new ZeekLog("smb_files", "smb_file_access", List.of("network", "file"), List.of("access"),
                    List.of("fuid", "action", "path", "name", "size", "prev_name", "times.modified", "times.accessed",
                            "times.created", "times.changed"),
                    ZeekLogs::smbFiles),
            new ZeekLog("pe", "pe_analysis", List.of("file"), List.of("info"),
                    List.of("id", "machine", "compile_ts", "os", "subsystem", "is_exe", "is_64bit", "uses_aslr",
                            "uses_dep", "uses_code_integrity", "uses_seh", "has_import_table", "has_export_table",
                            "has_cert_table", "has_debug_data", "section_names"),
                    ZeekLogs::none),
            new ZeekLog("x509", "x509_certificate", NETWORK, List.of("info"),
                    List.of("id", "fingerprint", "certificate.version", "certificate.serial", "certificate.subject",
                            "certificate.issuer", "certificate.not_valid_before", "certificate.not_valid_after",
                            "certificate.key_alg", "certificate.sig_alg", "certificate.key_type",
                            "certificate.key_length", "certificate.exponent", "certificate.curve", "san.dns",
                            "san.uri", "san.email", "san.ip", "basic_constraints.ca", "basic_constraints.path_len",
                            "host_cert", "client_cert"),
                    ZeekLogs::none),
            new ZeekLog("packet_filter", "packet_filter_install", List.of("host"), List.of("change"),
                    List.of("node", "filter", "init", "success", "failure_reason"), ZeekLogs::successColumn),
            new ZeekLog("dce_rpc", "dce_rpc_call", NETWORK, List.of("protocol"),
                    List.of("rtt", "named_pipe", "endpoint", "operation"), ZeekLogs::none),
            new ZeekLog("ntlm", "ntlm_authentication", List.of("network", "authentication"), List.of("protocol"),
                    List.of("username", "hostname", "domainname", "server_nb_computer_name",
                            "server_dns_computer_name", "server_tree_name", "success", "status"),
                    ZeekLogs::ntlm),
            new ZeekLog("ssh", "ssh_session", NETWORK, List.of("protocol"),
                    List.of("version", "auth_success", "auth_attempts", "direction", "client", "server",
                            "cipher_alg", "mac_alg", "compression_alg", "kex_alg", "host_key_alg", "host_key"),
                    ZeekLogs::ssh),
            new ZeekLog("rdp", "rdp_session", NETWORK, List.of("protocol"),
                    List.of("cookie", "result", "security_protocol", "client_channels", "keyboard_layout",
                            "client_build", "client_name", "client_dig_product_id", "desktop_width",
                            "desktop_height", "requested_color_depth", "cert_type", "cert_count", "cert_permanent",
                            "encryption_level", "encryption_method"),
                    ZeekLogs::none),
            new ZeekLog("notice", "zeek_notice", List.of("intrusion_detection"), List.of("info"),
                    List.of("fuid", "file_mime_type", "file_desc", "proto", "note", "msg", "sub", "src", "dst", "p",
                            "n", "peer_descr", "actions", "suppress_for", "dropped"),
                    ZeekLogs::none))
            .collect(Collectors.toUnmodifiableMap(ZeekLog::name, Function.identity()));

    private ZeekLogs() {}

    /** Every known log. */
    public static java.util.Collection<ZeekLog> all() {
        return BY_PATH.values();
    }

    /**
     * The known log of a {@code #path}, or {@code null} (unknown logs get no extra fields). A
     * second log filter writing to an existing path makes Zeek name it {@code conn-2}, which
     * is still the {@code conn} log.
     */
    public static ZeekLog byPath(String path) {
        if (path == null) {
            return null;
        }
        ZeekLog log = BY_PATH.get(path);
        int dash = path.lastIndexOf('-');
        if (log == null && dash > 0 && dash < path.length() - 1 && dash >= path.length() - 4) {
            for (int i = dash + 1; i < path.length(); i++) {
                if (path.charAt(i) < '0' || path.charAt(i) > '9') {
                    return null;
                }
            }
            log = BY_PATH.get(path.substring(0, dash));
        }
        return log;
    }

    /** The names of the logs Vigil maps, sorted. */
    public static SortedSet<String> names() {
        return new TreeSet<>(BY_PATH.keySet());
    }

    // ------------------------------------------------------------------ per-log mappings

    private static void none(ZeekRow r, SecurityEvent.Builder b) {}

    private static void conn(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.transport", r.get("proto"));
        String service = r.get("service");
        if (service != null) {
            // "smb,dce_rpc,gssapi,krb": network.protocol is the first (outermost) one identified
            int comma = service.indexOf(r.header().setSeparator());
            b.field("network.protocol", comma < 0 ? service : service.substring(0, comma));
        }
        b.field("source.bytes", r.get("orig_bytes"));
        b.field("destination.bytes", r.get("resp_bytes"));
        b.field("source.packets", r.get("orig_pkts"));
        b.field("destination.packets", r.get("resp_pkts"));
        b.field("network.community_id", r.get("community_id"));
        duration(r, b, "duration");
    }

    private static void dns(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.transport", r.get("proto"));
        b.field("network.protocol", "dns");
        b.field("dns.id", r.get("trans_id"));
        b.field("dns.question.name", r.get("query"));
        b.field("dns.question.type", r.get("qtype_name"));
        b.field("dns.question.class", r.get("qclass_name"));
        String rcode = r.get("rcode_name");
        b.field("dns.response_code", rcode);
        if (rcode != null) {
            b.eventOutcome("NOERROR".equals(rcode) ? "success" : "failure");
        }
        StringBuilder flags = new StringBuilder();
        for (String flag : new String[] {"AA", "TC", "RD", "RA"}) {
            if (Boolean.TRUE.equals(r.bool(flag))) {
                flags.append(flags.length() == 0 ? "" : ",").append(flag);
            }
        }
        b.field("dns.header_flags", flags.toString());
    }

    private static void http(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.protocol", "http");
        b.httpRequestMethod(r.get("method"));
        String host = r.get("host");
        b.urlDomain(host);
        String uri = r.get("uri");
        b.urlOriginal(uri);
        if (uri != null) {
            int q = uri.indexOf('?');
            b.urlPath(q < 0 ? uri : uri.substring(0, q));
            if (q >= 0 && q + 1 < uri.length()) {
                b.urlQuery(uri.substring(q + 1));
            }
        }
        b.httpRequestReferrer(r.get("referrer"));
        b.httpVersion(r.get("version"));
        b.userAgentOriginal(r.get("user_agent"));
        b.userName(r.get("username"));
        b.httpResponseBodyBytes(r.count("response_body_len"));
        b.field("http.request.body.bytes", r.get("request_body_len"));
        Integer status = r.integer("status_code");
        b.httpResponseStatusCode(status);
        if (status != null) {
            if (status >= 400) {
                b.addEventType("error").eventOutcome("failure");
            } else {
                b.eventOutcome("success");
            }
        }
    }

    private static void kerberos(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.protocol", "kerberos");
        String client = r.get("client");
        if (client != null) {
            // Zeek writes the client principal as name/REALM
            int slash = client.lastIndexOf('/');
            if (slash > 0) {
                b.userName(client.substring(0, slash));
                if (slash + 1 < client.length()) {
                    b.userDomain(client.substring(slash + 1));
                }
            } else {
                b.userName(client);
            }
        }
        Boolean success = r.bool("success");
        if (success != null) {
            b.eventOutcome(success ? "success" : "failure");
        }
        b.addEventType(Boolean.TRUE.equals(success) ? "start" : "info");
    }

    private static void ssl(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.protocol", "tls");
        String version = r.get("version");
        if (version != null) {
            // TLSv12 -> tls 1.2, TLSv13 -> tls 1.3, SSLv3 -> ssl 3
            if (version.startsWith("TLSv") && version.length() == 6) {
                b.field("tls.version_protocol", "tls");
                b.field("tls.version", version.charAt(4) + "." + version.charAt(5));
            } else if (version.startsWith("SSLv") && version.length() == 5) {
                b.field("tls.version_protocol", "ssl");
                b.field("tls.version", version.substring(4) + ".0");
            }
        }
        b.field("tls.cipher", r.get("cipher"));
        b.field("tls.curve", r.get("curve"));
        b.field("tls.client.server_name", r.get("server_name"));
        b.field("tls.established", r.get("established") == null ? null : String.valueOf(r.bool("established")));
        b.field("tls.resumed", r.get("resumed") == null ? null : String.valueOf(r.bool("resumed")));
        b.field("tls.next_protocol", r.get("next_protocol"));
        b.destinationDomain(r.get("server_name"));
    }

    private static void files(ZeekRow r, SecurityEvent.Builder b) {
        b.field("file.mime_type", r.get("mime_type"));
        b.field("file.name", r.get("filename"));
        b.field("file.size", r.get("total_bytes"));
        b.field("file.hash.md5", r.get("md5"));
        b.field("file.hash.sha1", r.get("sha1"));
        b.field("file.hash.sha256", r.get("sha256"));
    }

    /** {@code name} is the file's name within the share {@code path} ({@code \\\\host\\share}). */
    private static void smbFiles(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.protocol", "smb");
        b.field("file.name", r.get("name"));
        b.field("file.size", r.get("size"));
    }

    private static void successColumn(ZeekRow r, SecurityEvent.Builder b) {
        Boolean success = r.bool("success");
        if (success != null) {
            b.eventOutcome(success ? "success" : "failure");
        }
    }

    private static void ntlm(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.protocol", "ntlm");
        b.userName(r.get("username"));
        b.userDomain(r.get("domainname"));
        successColumn(r, b);
    }

    private static void ssh(ZeekRow r, SecurityEvent.Builder b) {
        b.field("network.protocol", "ssh");
        Boolean success = r.bool("auth_success");
        if (success != null) {
            b.eventOutcome(success ? "success" : "failure");
        }
    }

    private static void duration(ZeekRow r, SecurityEvent.Builder b, String column) {
        Long nanos = ZeekTime.intervalNanos(r.get(column));
        if (nanos != null) {
            b.field("event.duration", Long.toString(nanos));
        }
    }
}
