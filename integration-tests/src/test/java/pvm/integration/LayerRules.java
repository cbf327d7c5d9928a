package pvm.integration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of docs/design.md as ArchUnit rules. They are built here once and evaluated twice: over
 * the production classes (which must pass) and over planted violations (which must be caught).
 */
final class LayerRules {

    private static final String[] ABOVE_HAL = {"pvm.vm..", "pvm.kernel..", "pvm.scenario..", "pvm.cli.."};

    private LayerRules() {
    }

    /** Rule 2: nothing above the HAL reaches an architecture; they are found at run time. */
    static ArchRule nothingAboveTheHalReachesAnArchitecture() {
        return noClasses().that().resideInAnyPackage(ABOVE_HAL)
                .should().dependOnClassesThat().resideInAPackage("pvm.arch..")
                .because("architectures are plugins found with ServiceLoader (docs/design.md)");
    }

    /** Rule 2: an architecture reaches only the HAL of pvm, never a layer above it. */
    static ArchRule architecturesReachOnlyTheHal() {
        return noClasses().that().resideInAPackage("pvm.arch..")
                .should().dependOnClassesThat().resideInAnyPackage(ABOVE_HAL)
                .because("arch-* modules depend on hal-pmap only (docs/design.md)");
    }

    /** Rule 2: one architecture never reaches another. */
    static ArchRule architecturesAreIndependent() {
        return slices().matching("pvm.arch.(*)..").should().notDependOnEachOther()
                .because("adding or removing a target touches nothing but its own module");
    }

    /** Rule 1: each layer reaches only the layers below it. */
    static ArchRule layersPointDown() {
        return layeredArchitecture().consideringOnlyDependenciesInAnyPackage("pvm..")
                .withOptionalLayers(true)
                .layer("hal").definedBy("pvm.hal.pmap..")
                .layer("page").definedBy("pvm.vm.page..")
                .layer("map").definedBy("pvm.vm.map..")
                .layer("zone").definedBy("pvm.vm.zone..")
                .layer("kmalloc").definedBy("pvm.vm.kmalloc..")
                .layer("object").definedBy("pvm.vm.object..")
                .layer("kernel").definedBy("pvm.kernel..")
                .layer("scenario").definedBy("pvm.scenario..")
                .layer("cli").definedBy("pvm.cli..")
                .layer("arch").definedBy("pvm.arch..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("scenario").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("kernel").mayOnlyBeAccessedByLayers("scenario", "cli")
                .whereLayer("object").mayOnlyBeAccessedByLayers("kernel", "scenario", "cli")
                .whereLayer("kmalloc").mayOnlyBeAccessedByLayers("object", "kernel", "scenario", "cli")
                .whereLayer("zone").mayOnlyBeAccessedByLayers("kmalloc", "object", "kernel", "scenario", "cli")
                .whereLayer("map").mayOnlyBeAccessedByLayers("zone", "kmalloc", "object", "kernel", "scenario", "cli")
                .whereLayer("page").mayOnlyBeAccessedByLayers("map", "zone", "kmalloc", "object", "kernel", "scenario", "cli")
                .whereLayer("arch").mayNotBeAccessedByAnyLayer()
                .because("dependencies point down only (docs/design.md)");
    }

    /**
     * Rule 3: variants by module, not flags. Above the HAL only the composition root (the kernel's
     * module, which installs the paged or the flat memory model) and the scenario language's
     * {@code requires mmu} ask a target whether it has an MMU; everything else behaves by the
     * memory model it was given.
     */
    static ArchRule onlyTheCompositionRootAsksForAnMmu() {
        return noClasses().that().resideInAnyPackage(ABOVE_HAL)
                .and().doNotHaveFullyQualifiedName("pvm.kernel.KernelModule")
                .and().doNotHaveFullyQualifiedName("pvm.scenario.Requirement")
                .should().callMethod("pvm.hal.pmap.Architecture", "hasMmu")
                .because("the memory model is chosen by the Guice module installed, not by branches on the MMU flag (docs/design.md)");
    }

    /** No cycles between packages anywhere in pvm. */
    static ArchRule noPackageCycles() {
        return slices().matching("pvm.(**)").should().beFreeOfCycles();
    }

    /** Rule 8: {@code *Locked} methods expect the lock held, so only their own package may call them. */
    static ArchRule lockedMethodsAreNotPublic() {
        return methods().that().haveNameMatching(".*Locked").should().notBePublic()
                .allowEmptyShould(true)
                .because("the public method takes the lock and calls xLocked (docs/design.md)");
    }
}
