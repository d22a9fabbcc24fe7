package io.vigil.formats.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each value type rendered as evtx_dump renders it, from bytes laid out as Windows writes them. */
class BinXmlValueTest {

    private static String json(int type, byte[] bytes) {
        JsonBytes out = new JsonBytes();
        new BinXmlValue(type, bytes, 0, bytes.length).json(out);
        return new String(out.toBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] le(int size, long... values) {
        ByteBuffer b = ByteBuffer.allocate(size * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (size) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void integersAreNumbersWithTheirSign() {
        assertThat(json(BinXmlValue.INT8, le(1, -5))).isEqualTo("-5");
        assertThat(json(BinXmlValue.UINT8, le(1, 250))).isEqualTo("250");
        assertThat(json(BinXmlValue.INT16, le(2, -300))).isEqualTo("-300");
        assertThat(json(BinXmlValue.UINT16, le(2, 65535))).isEqualTo("65535");
        assertThat(json(BinXmlValue.INT32, le(4, -70000))).isEqualTo("-70000");
        assertThat(json(BinXmlValue.UINT32, le(4, 0xFFFFFFFFL))).isEqualTo("4294967295");
        assertThat(json(BinXmlValue.INT64, le(8, Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
        assertThat(json(BinXmlValue.UINT64, le(8, -1L))).isEqualTo("18446744073709551615");
    }

    @Test
    void hexIntegersAreLowerCaseWithoutPadding() {
        assertThat(json(BinXmlValue.HEX_INT32, le(4, 0x3e7))).isEqualTo("\"0x3e7\"");
        assertThat(json(BinXmlValue.HEX_INT64, le(8, 0x8020000000000000L))).isEqualTo("\"0x8020000000000000\"");
        assertThat(json(BinXmlValue.SIZE_T, le(8, 0x7ff6L))).isEqualTo("\"0x7ff6\"");
    }

    @Test
    void realsBooleansAndBinary() {
        assertThat(json(BinXmlValue.REAL32, le(4, Float.floatToIntBits(1.5f)))).isEqualTo("1.5");
        assertThat(json(BinXmlValue.REAL64, le(8, Double.doubleToLongBits(-2.25)))).isEqualTo("-2.25");
        assertThat(json(BinXmlValue.REAL64, le(8, Double.doubleToLongBits(Double.NaN)))).isEqualTo("\"NaN\"");
        assertThat(json(BinXmlValue.BOOL, le(4, 1))).isEqualTo("true");
        assertThat(json(BinXmlValue.BOOL, le(4, 0))).isEqualTo("false");
        assertThat(json(BinXmlValue.BINARY, new byte[] {0x0a, (byte) 0xff, 0})).isEqualTo("\"0AFF00\"");
    }

    @Test
    void guidSidAndStrings() {
        // Sysmon's provider GUID as stored: Data1..3 little-endian, Data4 as bytes
        byte[] guid = {0x5f, 0x38, 0x70, 0x57, 0x2a, (byte) 0xc2, (byte) 0xe0, 0x43,
            (byte) 0xbf, 0x4c, 0x06, (byte) 0xf5, 0x69, (byte) 0x8f, (byte) 0xfb, (byte) 0xd9};
        assertThat(json(BinXmlValue.GUID, guid)).isEqualTo("\"5770385F-C22A-43E0-BF4C-06F5698FFBD9\"");
        // S-1-5-21-1004336348-1177238915-682003330-512: authority big-endian, sub-authorities little-endian
        ByteBuffer sid = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
        sid.put((byte) 1).put((byte) 4).put(new byte[] {0, 0, 0, 0, 0, 5});
        sid.putInt(21).putInt(1004336348).putInt(1177238915).putInt(682003330);
        byte[] sidBytes = sid.array();
        assertThat(json(BinXmlValue.SID, java.util.Arrays.copyOf(sidBytes, 24)))
                .isEqualTo("\"S-1-5-21-1004336348-1177238915-682003330\"");
        assertThat(json(BinXmlValue.WSTRING, "C:\\\"x\"\n\0junk".getBytes(StandardCharsets.UTF_16LE)))
                .isEqualTo("\"C:\\\\\\\"x\\\"\\n\"");
        assertThat(json(BinXmlValue.ANSI_STRING, new byte[] {'a', (byte) 0xe9, 0})).isEqualTo("\"a\u00e9\"");
        assertThat(json(BinXmlValue.WSTRING, "😀".getBytes(StandardCharsets.UTF_16LE))).isEqualTo("\"😀\"");
    }

    @Test
    void timesKeepTheTick() {
        Instant t = Instant.parse("2025-10-24T23:43:34.1364218Z");
        long ticks = BinXmlValue.EPOCH_TICKS + t.getEpochSecond() * 10_000_000L + t.getNano() / 100;
        assertThat(json(BinXmlValue.FILETIME, le(8, ticks))).isEqualTo("\"2025-10-24T23:43:34.1364218Z\"");
        assertThat(BinXmlValue.fileTime(0)).isEqualTo("1601-01-01T00:00:00.0000000Z");
        assertThat(BinXmlValue.fileTime(-1L)).doesNotMatch("\\d{4}-.*"); // year 30828: written in full, never mistaken for a time
        ByteBuffer st = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        st.putShort((short) 2024).putShort((short) 2).putShort((short) 4).putShort((short) 29)
                .putShort((short) 23).putShort((short) 59).putShort((short) 58).putShort((short) 999);
        assertThat(json(BinXmlValue.SYSTEMTIME, st.array())).isEqualTo("\"2024-02-29T23:59:58.9990000Z\"");
    }

    @Test
    void arraysAreJsonArrays() {
        byte[] strings = "a\0bc\0".getBytes(StandardCharsets.UTF_16LE);
        assertThat(json(BinXmlValue.ARRAY | BinXmlValue.WSTRING, strings)).isEqualTo("[\"a\",\"bc\"]");
        assertThat(json(BinXmlValue.ARRAY | BinXmlValue.UINT16, le(2, 1, 2, 65535))).isEqualTo("[1,2,65535]");
        assertThat(json(BinXmlValue.ARRAY | BinXmlValue.HEX_INT64, le(8, 1, 255))).isEqualTo("[\"0x1\",\"0xff\"]");
        assertThat(json(BinXmlValue.ARRAY | BinXmlValue.BOOL, le(4, 0, 7))).isEqualTo("[false,true]");
        assertThat(new BinXmlValue(BinXmlValue.ARRAY | BinXmlValue.UINT8, le(1, 3, 4), 0, 2).text()).isEqualTo("3, 4");
    }

    @Test
    void nullAndEmptyValues() {
        assertThat(json(BinXmlValue.NULL, new byte[0])).isEqualTo("null");
        assertThat(json(BinXmlValue.UINT32, new byte[0])).isEqualTo("null");
        assertThat(json(BinXmlValue.WSTRING, new byte[0])).isEqualTo("\"\"");
    }
}
