package io.vigil.formats.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON shape of event trees: evtx_dump's conventions, and no value lost to a repeated name. */
class EvtxJsonTest {

    private static BinXmlNode data(String name, String value) {
        BinXmlNode d = new BinXmlNode("Data");
        if (name != null) {
            d.attribute("Name", new ArrayList<>(List.of(name)));
        }
        if (value != null) {
            d.add(value);
        }
        return d;
    }

    private static JsonNode render(BinXmlNode event) throws Exception {
        JsonBytes out = new JsonBytes();
        new EvtxJson().write(event, out);
        return EcsJson.MAPPER.readTree(new String(out.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void dataIsKeyedByItsNameUnnamedDataGathersAndEmptyElementsAreNull() throws Exception {
        BinXmlNode event = new BinXmlNode("Event");
        event.attribute("xmlns", new ArrayList<>(List.of("http://schemas.microsoft.com/win/2004/08/events/event")));
        BinXmlNode system = new BinXmlNode("System");
        BinXmlNode provider = new BinXmlNode("Provider");
        provider.attribute("Name", new ArrayList<>(List.of("Service Control Manager")));
        system.add(provider);
        system.add(new BinXmlNode("Correlation"));
        event.add(system);
        BinXmlNode eventData = new BinXmlNode("EventData");
        eventData.add(data("TargetUserName", "admin"));
        eventData.add(data("Empty", null));
        eventData.add(data(null, "first"));
        eventData.add(data(null, "second"));
        event.add(eventData);
        JsonNode json = render(event);
        assertThat(json.at("/Event/#attributes/xmlns").asText()).startsWith("http://schemas.microsoft.com");
        assertThat(json.at("/Event/System/Provider/#attributes/Name").asText()).isEqualTo("Service Control Manager");
        assertThat(json.at("/Event/System/Correlation").isNull()).isTrue();
        assertThat(json.at("/Event/EventData/TargetUserName").asText()).isEqualTo("admin");
        assertThat(json.at("/Event/EventData/Empty").isNull()).isTrue();
        assertThat(json.at("/Event/EventData/Data/#text").toString()).isEqualTo("[\"first\",\"second\"]");
    }

    @Test
    void aNameMetAgainGetsANumberEvenPastTheShortScan() throws Exception {
        BinXmlNode event = new BinXmlNode("Event");
        BinXmlNode eventData = new BinXmlNode("EventData");
        for (int i = 0; i < 100; i++) {
            eventData.add(data(i % 2 == 0 ? "Same" : "Other" + i, "v" + i));
        }
        event.add(eventData);
        JsonNode data = render(event).at("/Event/EventData");
        assertThat(data.size()).isEqualTo(100);
        assertThat(data.get("Same").asText()).isEqualTo("v0");
        assertThat(data.get("Same_1").asText()).isEqualTo("v2");
        assertThat(data.get("Same_49").asText()).isEqualTo("v98");
        assertThat(data.get("Other99").asText()).isEqualTo("v99");
    }

    @Test
    void aNumberALiteralNameTookIsSkipped() throws Exception {
        BinXmlNode event = new BinXmlNode("Event");
        BinXmlNode eventData = new BinXmlNode("EventData");
        eventData.add(data("A", "first"));
        eventData.add(data("A_1", "literal"));
        eventData.add(data("A", "second"));
        eventData.add(data("A", "third"));
        event.add(eventData);
        JsonNode data = render(event).at("/Event/EventData");
        assertThat(data.toString()).isEqualTo("{\"A\":\"first\",\"A_1\":\"literal\",\"A_2\":\"second\",\"A_3\":\"third\"}");
    }
}
