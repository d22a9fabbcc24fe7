package io.vigil.cli.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The reactor's poms as plain XML: the modules the root pom lists, the dependencies each pom
 * declares itself, and the version the root pom manages for a dependency. Enough of Maven's model
 * for build checks, without Maven: no inheritance beyond the root pom, properties resolved only
 * from the root pom's {@code <properties>}.
 */
final class ReactorPoms {

    /** The name the root pom's own dependencies are listed under: every module inherits them. */
    static final String ALL_MODULES = "all";

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /**
     * A dependency as one pom declares it ({@code version} empty where the pom leaves it to
     * dependencyManagement); the key names a test-jar apart from the main jar.
     */
    record Declared(String module, String groupId, String artifactId, String type, String scope, String version) {
        String key() {
            return groupId + ":" + artifactId + ("test-jar".equals(type) ? ":test-jar" : "");
        }
    }

    /** A {@code <dependency>} of the root pom's dependencyManagement, version as written. */
    private record Managed(String groupId, String artifactId, String type, String scope, String version) {
    }

    private final Map<String, String> properties = new HashMap<>();
    private final List<Managed> managed = new ArrayList<>();
    private final Map<String, Element> modulePoms = new LinkedHashMap<>();
    private final Element rootPom;

    private ReactorPoms(Path root) throws IOException {
        rootPom = parse(root.resolve("pom.xml"));
        for (Element property : children(child(rootPom, "properties").orElseThrow())) {
            properties.put(property.getTagName(), property.getTextContent().trim());
        }
        properties.put("project.version", text(rootPom, "version"));
        Element management = child(child(rootPom, "dependencyManagement").orElseThrow(), "dependencies").orElseThrow();
        for (Element d : children(management)) {
            managed.add(new Managed(text(d, "groupId"), text(d, "artifactId"), textOr(d, "type", "jar"),
                    textOr(d, "scope", ""), text(d, "version")));
        }
        for (Element module : children(child(rootPom, "modules").orElseThrow())) {
            String name = module.getTextContent().trim();
            modulePoms.put(name, parse(root.resolve(name).resolve("pom.xml")));
        }
    }

    static ReactorPoms read(Path root) throws IOException {
        return new ReactorPoms(root);
    }

    /** The module directories, in the root pom's order. */
    List<String> modules() {
        return List.copyOf(modulePoms.keySet());
    }

    /**
     * Every dependency declared in a {@code <project><dependencies>} block: the root pom's (under
     * {@link #ALL_MODULES}) and each module's. Not dependencyManagement, plugins or profiles.
     */
    List<Declared> declaredDependencies() {
        List<Declared> declared = new ArrayList<>(declaredIn(ALL_MODULES, rootPom));
        modulePoms.forEach((module, pom) -> declared.addAll(declaredIn(module, pom)));
        return declared;
    }

    /**
     * The version the root pom manages for {@code groupId:artifactId} (jar or test-jar): its own
     * entry, else the BOM it imports whose groupId is the dependency's groupId or a parent of it.
     */
    Optional<String> managedVersion(String groupId, String artifactId) {
        Optional<String> own = managed.stream()
                .filter(m -> m.groupId().equals(groupId) && m.artifactId().equals(artifactId))
                .map(Managed::version).findFirst();
        if (own.isPresent()) {
            return own.map(this::resolve);
        }
        return managed.stream()
                .filter(m -> m.type().equals("pom") && m.scope().equals("import"))
                .filter(bom -> groupId.equals(bom.groupId()) || groupId.startsWith(bom.groupId() + "."))
                .map(Managed::version).findFirst().map(this::resolve);
    }

    private String resolve(String value) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String property = properties.get(m.group(1));
            if (property == null) {
                throw new IllegalStateException("no property " + m.group(1) + " in the root pom");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolve(property)));
        }
        return m.appendTail(out).toString();
    }

    private static List<Declared> declaredIn(String module, Element pom) {
        return child(pom, "dependencies").map(ReactorPoms::children).orElse(List.of()).stream()
                .map(d -> new Declared(module, text(d, "groupId"), text(d, "artifactId"), textOr(d, "type", "jar"),
                        textOr(d, "scope", "compile"), textOr(d, "version", "")))
                .toList();
    }

    private static Element parse(Path pom) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // our own files, but no reason to let a pom reach outside itself
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            Document document = factory.newDocumentBuilder().parse(pom.toFile());
            return document.getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst();
    }

    private static String text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().trim())
                .orElseThrow(() -> new IllegalStateException("<" + name + "> missing in <" + parent.getTagName() + ">"));
    }

    private static String textOr(Element parent, String name, String fallback) {
        return child(parent, name).map(e -> e.getTextContent().trim()).orElse(fallback);
    }
}
