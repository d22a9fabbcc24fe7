package io.vigil.cli.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The allowed arrows between Vigil's modules and packages (docs/architecture.md draws them). The
 * module arrows are also what the poms allow; this test says them once, in one place, and keeps
 * the package arrows inside a module (which Maven cannot see) free of cycles. Main code only: the
 * test classes of every module are left out.
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importVigil() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
                .importPackages("io.vigil");
    }

    @Test
    void modulesDependOnlyDownwards() {
        ArchRule modules = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("model").definedBy("io.vigil.model..")
                .layer("formats").definedBy("io.vigil.formats..")
                .layer("rules").definedBy("io.vigil.rules..")
                .layer("context").definedBy("io.vigil.context..")
                .layer("connectors").definedBy("io.vigil.connectors..")
                .layer("local-stack").definedBy("io.vigil.localstack..")
                .layer("simulate").definedBy("io.vigil.simulate..")
                .layer("jobs").definedBy("io.vigil.jobs..")
                .layer("cli").definedBy("io.vigil.cli..")
                .whereLayer("model").mayNotAccessAnyLayer()
                .whereLayer("formats").mayOnlyAccessLayers("model")
                .whereLayer("rules").mayOnlyAccessLayers("model")
                .whereLayer("context").mayOnlyAccessLayers("model")
                .whereLayer("connectors").mayOnlyAccessLayers("model")
                .whereLayer("local-stack").mayNotAccessAnyLayer()
                .whereLayer("simulate").mayNotAccessAnyLayer()
                .whereLayer("jobs").mayOnlyAccessLayers("model", "formats", "rules", "context", "connectors")
                .whereLayer("cli").mayOnlyAccessLayers("model", "formats", "rules", "context", "connectors", "jobs", "simulate",
                        "local-stack");
        modules.check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.vigil.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theJobModuleHasNoCommandLineAndNoDevelopmentInfrastructure() {
        noClasses().that().resideInAPackage("io.vigil.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "kafka.server..", "kafka.tools..",
                        "scala..")
                .check(classes);
    }

    @Test
    void detectionAndDecodingAreFreeOfFlink() {
        // what lets replay and stream agree: the logic is tested alone, and Flink only carries it
        noClasses().that().resideInAnyPackage("io.vigil.model..", "io.vigil.formats..", "io.vigil.rules..",
                        "io.vigil.context..", "io.vigil.simulate..", "io.vigil.localstack..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.flink..")
                .check(classes);
    }

    @Test
    void insideTheJobModuleEntryPointsAreOnTop() {
        // the topology's functions and the configuration never reach up into the entry points or
        // the wiring of production connectors; streaming and replay share wiring, not each other
        noClasses().that().resideInAnyPackage("io.vigil.jobs.config..", "io.vigil.jobs.context..",
                        "io.vigil.jobs.decode..",
                        "io.vigil.jobs.detect..", "io.vigil.jobs.incident..", "io.vigil.jobs.webhook..",
                        "io.vigil.jobs.io..", "io.vigil.jobs.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vigil.jobs.stream..", "io.vigil.jobs.replay..",
                        "io.vigil.jobs.wiring..")
                .check(classes);
        noClasses().that().resideInAPackage("io.vigil.jobs.replay..")
                .should().dependOnClassesThat().resideInAPackage("io.vigil.jobs.stream..").check(classes);
        noClasses().that().resideInAPackage("io.vigil.jobs.stream..")
                .should().dependOnClassesThat().resideInAPackage("io.vigil.jobs.replay..").check(classes);
        noClasses().that().resideInAPackage("io.vigil.jobs.wiring..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vigil.jobs.stream..", "io.vigil.jobs.replay..")
                .check(classes);
    }
}
