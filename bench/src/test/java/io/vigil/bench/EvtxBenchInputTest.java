package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.formats.evtx.EvtxEvent;
import io.vigil.formats.input.EvtxFramer;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The EVTX benchmark's input: the mix of event shapes, distinct values, the same bytes every time. */
class EvtxBenchInputTest {

    @Test
    void mixesSysmonAndSecurityShapesWithManyDistinctValues() {
        Map<String, Integer> byShape = new TreeMap<>();
        Set<String> users = new HashSet<>();
        Set<String> computers = new HashSet<>();
        long previousTicks = Long.MIN_VALUE;
        long ids = 0;
        for (EvtxEvent e : new EvtxBenchInput(20_000, 17)) {
            byShape.merge(e.channel() + "/" + e.eventId(), 1, Integer::sum);
            computers.add(e.computer());
            e.eventData().stream().filter(d -> d.name().equals("TargetUserName") || d.name().equals("User"))
                    .forEach(d -> users.add(new String(d.value().bytes(), java.nio.charset.StandardCharsets.UTF_16LE)));
            long ticks = e.timeCreated().getEpochSecond() * 10_000_000L + e.timeCreated().getNano() / 100;
            assertThat(ticks).as("times increase").isGreaterThan(previousTicks);
            previousTicks = ticks;
            assertThat(e.recordId()).isEqualTo(++ids);
        }
        assertThat(byShape.keySet()).containsExactly("Microsoft-Windows-Sysmon/Operational/1",
                "Microsoft-Windows-Sysmon/Operational/11", "Microsoft-Windows-Sysmon/Operational/3", "Security/4624",
                "Security/4625", "Security/4688");
        assertThat(byShape.values()).allSatisfy(n -> assertThat(n).isGreaterThan(500));
        assertThat(users).hasSizeGreaterThan(2_000);
        assertThat(computers).as("one machine's log").hasSize(1);
    }

    @Test
    void everyRecordReadsBackWholeAndDecodesToItsEvent() throws Exception {
        byte[] file = new EvtxBenchInput(3_000, 17).toBytes();
        DecoderRegistry decoders = new DecoderRegistry(DecoderOptions.defaults());
        Map<String, Integer> byCode = new TreeMap<>();
        int records = 0;
        try (EvtxFramer framer = new EvtxFramer(new ByteArrayInputStream(file), "bench.evtx", Instant.EPOCH,
                DecoderOptions.defaults().maxRecordBytes())) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                records++;
                assertThat(r.header()).as("damage").isNull();
                DecodeResult decoded = decoders.decode(r);
                assertThat(decoded.ok()).as("record %d decodes", records).isTrue();
                SecurityEvent e = decoded.events().get(0);
                byCode.merge(e.eventCode(), 1, Integer::sum);
                if (e.eventCode().equals("4624")) {
                    assertThat(e.userName()).startsWith("user");
                    assertThat(e.sourceIp()).startsWith("10.20.");
                }
            }
        }
        assertThat(records).isEqualTo(3_000);
        assertThat(byCode.keySet()).containsExactlyInAnyOrder("1", "3", "11", "4624", "4625", "4688");
    }

    @Test
    void theSameSeedWritesTheSameFileOfManyChunks() {
        byte[] file = new EvtxBenchInput(5_000, 17).toBytes();
        assertThat(new EvtxBenchInput(5_000, 17).toBytes()).isEqualTo(file);
        assertThat(new EvtxBenchInput(5_000, 18).toBytes()).isNotEqualTo(file);
        ByteBuffer header = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getLong(24)).as("next record id").isEqualTo(5_001);
        int chunks = header.getShort(42);
        assertThat(chunks).isGreaterThan(20);
        double bytesPerRecord = (double) file.length / 5_000;
        assertThat(bytesPerRecord).as("records of a realistic size").isBetween(300.0, 1_000.0);
    }
}
