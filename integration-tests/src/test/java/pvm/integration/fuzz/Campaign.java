package pvm.integration.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The entry point of {@code bin/pvm fuzz} and {@code bin/pvm stress}: runs one test method (with
 * {@code JAZZER_FUZZ=1}, a {@code @FuzzTest} in Jazzer's fuzzing mode) on the test class path the
 * script built, prints JUnit's summary and exits 1 when the test failed (a finding).
 *
 * <p>Usage: {@code Campaign CLASS#METHOD(PARAMETER TYPES)}.
 */
public final class Campaign {

    private Campaign() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Campaign CLASS#METHOD(PARAMETER TYPES)");
            System.exit(2);
        }
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(args[0])).build(), summary);
        summary.getSummary().printTo(new PrintWriter(System.out, true));
        summary.getSummary().printFailuresTo(new PrintWriter(System.out, true), 40);
        System.exit(summary.getSummary().getTotalFailureCount() == 0 && summary.getSummary().getTestsFoundCount() > 0 ? 0 : 1);
    }
}
