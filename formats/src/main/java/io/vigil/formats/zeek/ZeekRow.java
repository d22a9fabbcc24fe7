package io.vigil.formats.zeek;

/** One data row split into its columns; unset and empty values are {@code null}. */
public final class ZeekRow {

    private final ZeekHeader header;
    private final String[] values;

    public ZeekRow(ZeekHeader header, String[] values) {
        this.header = header;
        this.values = values;
    }

    public ZeekHeader header() {
        return header;
    }

    /** The value of column {@code field}, or {@code null} when absent, unset or empty. */
    public String get(String field) {
        int i = header.indexOf(field);
        return i < 0 ? null : values[i];
    }

    public String value(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    /** A port or count column as an int, {@code null} when absent, not a number or too large. */
    public Integer integer(String field) {
        Long n = count(field);
        return n == null || n > Integer.MAX_VALUE ? null : n.intValue();
    }

    /** A count column as a long, {@code null} when absent or not a number. */
    public Long count(String field) {
        String v = get(field);
        if (v == null || v.isEmpty() || v.length() > 18) {
            return null;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** A Zeek bool column ({@code T}/{@code F}), {@code null} when absent. */
    public Boolean bool(String field) {
        String v = get(field);
        return "T".equals(v) ? Boolean.TRUE : "F".equals(v) ? Boolean.FALSE : null;
    }
}
