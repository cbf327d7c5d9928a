package pvm.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import pvm.cli.Main;
import pvm.hal.pmap.Architecture;

/**
 * The explorer page in a real browser: {@code pvm report} writes it for the copy-on-write lesson,
 * headless Chromium opens it from disk, and the test steps through the lesson with the keys and
 * the buttons, checking that the pictures change as the lesson says they must.
 *
 * <p>It uses Debian's {@code chromium} and {@code chromium-driver} and nothing else: both paths
 * are given to Selenium, so its manager never looks for (or downloads) a browser. Without them the
 * test is skipped with the reason, except in CI ({@code CI=true}), where it fails: CI installs them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplorerBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** The lesson's statements, by step: step 0 is the machine after boot, step N the N-th statement. */
    static final int MMAP = 2;
    static final int FIRST_STORE = 3;
    static final int FORK = 5;
    static final int STORE_AFTER_FORK = 7;
    static final int CHILD_LOAD = 8;

    @TempDir
    static Path dir;
    @TempDir
    static Path profile;
    private ChromeDriver browser;
    private Path page;

    @BeforeAll
    void openThePage() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = "no browser: the explorer test needs Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "); apt-get install -y chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + " (CI must run this test; .ci/run installs them)");
            }
            Assumptions.abort(reason);
        }
        int status = Main.run("report", "--out", dir.toString(), "../examples/02-copy-on-write.pvm");
        assertEquals(0, status, "pvm report");
        page = dir.resolve("explorer.html");
        assertTrue(Files.exists(page), "pvm report writes explorer.html");

        // Selenium warns that it has no DevTools bindings for this Chromium; the test uses WebDriver only.
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private long step() {
        return Long.parseLong(browser.findElement(By.tagName("body")).getDomAttribute("data-step"));
    }

    private void press(CharSequence key) {
        browser.findElement(By.tagName("body")).sendKeys(key);
    }

    /** The resident column of the entry at the lesson's address in {@code process}'s map, as shown. */
    private String resident(String process) {
        WebElement row = browser.findElement(By.cssSelector("details[data-map='" + process + "'] tr[data-start='4096'] td.resident"));
        return row.getText();
    }

    /** The page's tooltip for the frame at {@code pa}: owner, block and order, who maps it. */
    private String describe(Number pa) {
        return (String) js("return window.pvmExplorer.describeFrame(arguments[0]);", pa);
    }

    @SuppressWarnings("unchecked")
    private List<Number> allocatedFrames() {
        return (List<Number>) js("return window.pvmExplorer.allocatedFrames();");
    }

    /** The colour of the canvas just outside the top-left corner of frame {@code pa}'s cell: where the change ring is drawn. */
    @SuppressWarnings("unchecked")
    private List<Number> ringPixel(Number pa) {
        return (List<Number>) js("""
                const c = window.pvmExplorer.cellOf(arguments[0]);
                const canvas = document.getElementById('pagecanvas');
                const dpr = canvas.width / parseFloat(canvas.style.width);
                const p = canvas.getContext('2d').getImageData(Math.round((c.x - 2) * dpr), Math.round((c.y + c.w / 2) * dpr), 1, 1).data;
                return [p[0], p[1], p[2]];""", pa);
    }

    /** On every target the page replays the vfork lesson (it runs everywhere) to its end without a script error. */
    @ParameterizedTest
    @MethodSource("pvm.integration.Targets#named")
    void replaysOnEveryTarget(Architecture arch) {
        Path out = dir.resolve("vfork-" + arch.name());
        assertEquals(0, Main.run("report", "--arch", arch.name(), "--out", out.toString(), "../examples/09-vfork.pvm"));
        browser.get(out.resolve("explorer.html").toUri().toString());
        long steps = (Long) js("return window.pvmExplorer.steps();");
        assertTrue(steps > 1, arch.name() + ": a step per statement");
        for (long i = 1; i < steps; i++) {
            press(Keys.ARROW_RIGHT);
            assertEquals(i, step());
            assertEquals(null, browser.findElement(By.tagName("body")).getDomAttribute("data-error"), arch.name() + " at step " + i);
            if (i == 3) { // after 'parent store 8 $a 5'
                assertTrue(browser.findElement(By.cssSelector("details[data-map='parent'] td.resident")).getText().startsWith("1 /"),
                        arch.name() + ": the stored-to page is resident");
                assertTrue(browser.findElement(By.id("walkbody")).getText().contains("0x"), arch.name() + ": the last address is walked");
            }
        }
        assertFalse(browser.findElements(By.id("pagecanvas")).isEmpty(), arch.name() + ": physical memory is drawn");
    }

    @Test
    void stepsThroughCopyOnWriteAndThePicturesFollow() {
        browser.get(page.toUri().toString());
        assertEquals(0, step(), "the page opens on the booted machine");
        assertEquals("step 0 of 14", browser.findElement(By.id("counter")).getText());
        assertTrue(allocatedFrames().isEmpty(), "nothing changed before the first statement");

        // The arrow keys step; the mmap maps nothing yet (demand paging).
        for (int i = 1; i <= MMAP; i++) {
            press(Keys.ARROW_RIGHT);
            assertEquals(i, step());
        }
        assertEquals("0 / 1", resident("parent"), "mmap allocates no page");

        // The first store faults a zero page in: a new frame, ringed, mapped by the parent.
        press(Keys.ARROW_RIGHT);
        assertEquals(FIRST_STORE, step());
        assertEquals("1 / 1", resident("parent"));
        List<String> first = allocatedFrames().stream().map(this::describe).toList();
        Number original = allocatedFrames().stream().filter(pa -> describe(pa).contains("mapped by parent at 0x00001000"))
                .findFirst().orElseThrow(() -> new AssertionError("the store allocates the parent's page: " + first));
        assertTrue(describe(original).contains("app"), describe(original));
        assertTrue(first.stream().anyMatch(d -> d.contains("kernel/ptable")), "and a page table to map it in: " + first);
        for (Number pa : allocatedFrames()) {
            assertEquals(List.of(255L, 23L, 68L), ringPixel(pa), "a frame allocated in this step is ringed");
        }
        // A click on the page in the parent's address space picks its frame in physical memory.
        browser.findElement(By.cssSelector("details[data-map='parent'] tr[data-start='4096'] .strip i")).click();
        assertEquals(original.longValue(), ((Number) js("return window.pvmExplorer.picked();")).longValue());

        // fork: the child's entry needs a copy and has no page yet; parent and child share one anon.
        while (step() < FORK) {
            browser.findElement(By.id("next")).click();
        }
        assertEquals("0 / 1", resident("child"));
        assertTrue(browser.findElement(By.cssSelector("details[data-map='child'] tr[data-start='4096']")).getText().contains("needs copy"));
        assertTrue(browser.findElement(By.id("objectsbody")).getText().contains("×2"), "the page's anon has two references");

        // The parent's write after the fork copies the page: a new frame, and the parent maps it instead.
        while (step() < STORE_AFTER_FORK) {
            press(Keys.ARROW_RIGHT);
        }
        List<Number> copied = allocatedFrames();
        assertEquals(1, copied.size(), "copy-on-write allocates exactly one page: " + copied);
        String copy = describe(copied.getFirst());
        assertTrue(copy.contains("mapped by parent at 0x00001000 (writable)"), copy);
        assertEquals(List.of(255L, 23L, 68L), ringPixel(copied.getFirst()));
        assertTrue(browser.findElement(By.id("changes")).getText().contains("parent: 0x00001000 now maps frame"),
                browser.findElement(By.id("changes")).getText());
        assertFalse(browser.findElements(By.cssSelector("#walkbody .changed")).isEmpty(), "the walk's changed entry is marked");

        // The child's load maps the original page, read-only: resident, and a write would still copy it.
        press(Keys.ARROW_RIGHT);
        assertEquals(CHILD_LOAD, step());
        assertEquals("1 / 1", resident("child"));
        assertTrue(allocatedFrames().stream().map(this::describe).allMatch(d -> d.contains("kernel/ptable")),
                "the child's read allocates no page, only the child's first page table");
        String shared = describe(original);
        assertTrue(shared.contains("mapped by child at 0x00001000 (read-only)"), "the child reads the original page: " + shared);

        // Back with the button and Home; a fragment opens a given step.
        browser.findElement(By.id("prev")).click();
        assertEquals(STORE_AFTER_FORK, step());
        press(Keys.HOME);
        assertEquals(0, step());
        browser.get(page.toUri() + "#step=" + FIRST_STORE);
        browser.navigate().refresh();
        assertEquals(FIRST_STORE, step());
    }
}
