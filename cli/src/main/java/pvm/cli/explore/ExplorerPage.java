package pvm.cli.explore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The explorer: one HTML file that replays a scenario step by step in any browser, from disk,
 * with no network and no server. The page's style and script travel in this module as resources
 * ({@code explorer.html}, {@code explorer.css} and the script's parts) and are put inline with the
 * replay's data, so the file stands alone.
 */
public final class ExplorerPage {

    /** The file name the explorer is written under in a report folder. */
    public static final String FILE_NAME = "explorer.html";

    /**
     * The script's parts: the data and the timeline ({@code explorer.js}), the model of frames and
     * mappings, the changes between steps, then one file per picture.
     */
    private static final List<String> SCRIPT_PARTS =
            List.of("explorer.js", "model.js", "changes.js", "pagemap.js", "spaces.js", "panels.js");

    private ExplorerPage() {
    }

    /** The page for a replay's data, titled {@code title}. */
    public static String render(String title, String data) {
        return resource("explorer.html")
                .replace("@TITLE@", escape(title))
                .replace("/*@CSS@*/", resource("explorer.css"))
                .replace("/*@JS@*/", script())
                .replace("/*@DATA@*/", data);
    }

    /** The page's script: its parts in order, one concern each; the page calls {@code start()} after them. */
    private static String script() {
        StringBuilder js = new StringBuilder();
        for (String part : SCRIPT_PARTS) {
            js.append(resource(part)).append('\n');
        }
        return js.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ExplorerPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the explorer's " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
