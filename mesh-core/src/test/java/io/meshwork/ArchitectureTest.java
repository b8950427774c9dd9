package io.meshwork;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering DESIGN.md asks for. The root package {@code io.meshwork} is the API vocabulary every
 * package speaks (requests, responses, exceptions, the builder), so it stands outside the slices.
 */
class ArchitectureTest {

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.meshwork");

  @Test
  void coreNeverUsesNetty() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.netty..").check(CORE);
  }

  @Test
  void subpackagesHaveNoCycles() {
    slices().matching("io.meshwork.(*)..").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void onlyTheRootPackageReachesIntoInternal() {
    noClasses().that().resideOutsideOfPackages("io.meshwork", "io.meshwork.internal..")
        .should().dependOnClassesThat().resideInAPackage("io.meshwork.internal..").check(CORE);
  }
}
