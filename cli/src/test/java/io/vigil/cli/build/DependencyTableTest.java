package io.vigil.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.build.DependencyTable.Row;
import io.vigil.cli.build.ReactorPoms.Declared;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/dependencies.md} lists every direct dependency the poms declare, with the version the
 * root pom gives it and the modules that declare it, so the list a newcomer reads is the build's.
 * Vigil's own modules ({@code io.vigil}) are left out: docs/architecture.md draws those arrows.
 */
class DependencyTableTest {

    static final String MAIN = "Main code";
    static final String TESTS = "Tests only";

    static ReactorPoms poms;
    static Map<String, Row> table;
    /** group:artifact[:test-jar] to its declarations, third-party only. */
    static Map<String, List<Declared>> declared;

    @BeforeAll
    static void read() throws IOException {
        Path root = JobJarContentTest.root();
        poms = ReactorPoms.read(root);
        table = DependencyTable.read(root.resolve("docs/dependencies.md"));
        declared = poms.declaredDependencies().stream()
                .filter(d -> !d.groupId().equals("io.vigil"))
                .collect(Collectors.groupingBy(Declared::key, LinkedHashMap::new, Collectors.toList()));
    }

    @Test
    void everyDeclaredDependencyHasARowInTheRightTable() {
        List<String> wrong = new ArrayList<>();
        declared.forEach((key, declarations) -> {
            String section = declarations.stream().allMatch(d -> d.scope().equals("test")) ? TESTS : MAIN;
            Row row = table.get(key);
            if (row == null) {
                wrong.add(key + ": no row (declared in " + modulesOf(declarations, section) + ")");
            } else if (!row.section().equals(section)) {
                wrong.add(key + ": under '" + row.section() + "', belongs under '" + section + "'");
            }
        });
        assertThat(wrong).as("docs/dependencies.md against the poms").isEmpty();
    }

    @Test
    void everyRowIsADeclaredDependency() {
        assertThat(table.keySet()).as("rows of docs/dependencies.md that no pom declares")
                .isSubsetOf(declared.keySet());
    }

    @Test
    void eachRowSaysTheManagedVersionTheModulesAndWhy() {
        List<String> wrong = new ArrayList<>();
        table.values().stream().filter(row -> declared.containsKey(row.dependency())).forEach(row -> {
            List<Declared> declarations = declared.get(row.dependency());
            Declared any = declarations.get(0);
            String version = poms.managedVersion(any.groupId(), any.artifactId()).orElse("(not managed)");
            if (!row.version().equals(version)) {
                wrong.add(row.dependency() + ": version " + row.version() + ", the root pom manages " + version);
            }
            Set<String> modules = modulesOf(declarations, row.section());
            if (!new TreeSet<>(row.modules()).equals(modules)) {
                wrong.add(row.dependency() + ": modules " + row.modules() + ", the poms say " + modules);
            }
            if (row.why().isBlank()) {
                wrong.add(row.dependency() + ": no reason given");
            }
        });
        assertThat(wrong).as("rows of docs/dependencies.md").isEmpty();
    }

    @Test
    void modulePomsLeaveVersionsToTheRootPom() {
        // one place for every version: the root pom's properties and dependencyManagement
        assertThat(poms.declaredDependencies()).filteredOn(d -> !d.version().isEmpty())
                .extracting(d -> d.module() + ": " + d.key() + ":" + d.version())
                .isEmpty();
    }

    /**
     * The modules cell as the poms make it: module names (all = the root pom, inherited by every
     * module); in the main table a scope other than compile follows in brackets, e.g. "cli (test)".
     */
    static Set<String> modulesOf(List<Declared> declarations, String section) {
        return declarations.stream()
                .map(d -> section.equals(TESTS) || d.scope().equals("compile") ? d.module()
                        : d.module() + " (" + d.scope() + ")")
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
