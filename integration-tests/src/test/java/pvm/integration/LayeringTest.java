package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pvm.arch.planted.ArchReachingTheKernel;
import pvm.arch.planted.ArchReachingTheOtherArch;
import pvm.integration.planted.cycle.a.CycleA;
import pvm.integration.planted.cycle.b.CycleB;
import pvm.integration.planted.locked.PublicLocked;
import pvm.vm.map.planted.MapAskingForAnMmu;
import pvm.vm.page.planted.PageReachingAnArchitecture;
import pvm.vm.page.planted.PageReachingTheKernel;

/**
 * The layering rules hold for the production classes, and each one catches a violation planted in
 * test code (so a rule that silently matched nothing would be noticed).
 */
class LayeringTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("pvm");
    }

    private static EvaluationResult planted(ArchRule rule, Class<?>... classes) {
        return rule.evaluate(new ClassFileImporter().importClasses(classes));
    }

    @Test
    void productionClassesWereImported() {
        assertTrue(production.contain(pvm.hal.pmap.Hal.class), "hal-pmap classes must be under test");
        assertTrue(production.stream().anyMatch(c -> c.getPackageName().startsWith("pvm.arch.")), "architecture classes must be under test");
        assertTrue(production.stream().anyMatch(c -> c.getPackageName().startsWith("pvm.cli")), "cli classes must be under test");
    }

    @Test
    void nothingAboveTheHalReachesAnArchitecture() {
        LayerRules.nothingAboveTheHalReachesAnArchitecture().check(production);
        assertTrue(planted(LayerRules.nothingAboveTheHalReachesAnArchitecture(), PageReachingAnArchitecture.class).hasViolation());
    }

    @Test
    void architecturesReachOnlyTheHal() {
        LayerRules.architecturesReachOnlyTheHal().check(production);
        assertTrue(planted(LayerRules.architecturesReachOnlyTheHal(), ArchReachingTheKernel.class).hasViolation());
    }

    @Test
    void architecturesAreIndependent() {
        LayerRules.architecturesAreIndependent().check(production);
        assertTrue(planted(LayerRules.architecturesAreIndependent(), ArchReachingTheOtherArch.class,
                pvm.arch.i686.I686Architecture.class).hasViolation());
    }

    @Test
    void layersPointDown() {
        LayerRules.layersPointDown().check(production);
        assertTrue(planted(LayerRules.layersPointDown(), PageReachingTheKernel.class, pvm.kernel.Machine.class).hasViolation());
    }

    @Test
    void onlyTheCompositionRootAsksForAnMmu() {
        LayerRules.onlyTheCompositionRootAsksForAnMmu().check(production);
        assertTrue(planted(LayerRules.onlyTheCompositionRootAsksForAnMmu(), MapAskingForAnMmu.class).hasViolation());
    }

    @Test
    void noPackageCycles() {
        LayerRules.noPackageCycles().check(production);
        assertTrue(planted(LayerRules.noPackageCycles(), CycleA.class, CycleB.class).hasViolation());
    }

    @Test
    void lockedMethodsAreNotPublic() {
        LayerRules.lockedMethodsAreNotPublic().check(production);
        EvaluationResult result = planted(LayerRules.lockedMethodsAreNotPublic(), PublicLocked.class);
        assertTrue(result.hasViolation());
        assertFalse(result.getFailureReport().getDetails().isEmpty());
    }
}
