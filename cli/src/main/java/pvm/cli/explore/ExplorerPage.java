package pvm.cli.explore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The explorer: one HTML file that replays a scenario step by step in any browser, from disk,
 * with no network and no server. The page's style and script travel in this module as resources
 * ({@code explorer.html}, {@code explorer.css}, {@code explorer.js}) and are put inline with the
 * replay's data, so the file stands alone.
 */
public final class ExplorerPage {

    /** The file name the explorer is written under in a report folder. */
    public static final String FILE_NAME = "explorer.html";

    private ExplorerPage() {
    }

    /** The page for a replay's data, titled {@code title}. */
    public static String render(String title, String data) {
        return resource("explorer.html")
                .replace("@TITLE@", escape(title))
                .replace("/*@CSS@*/", resource("explorer.css"))
                .replace("/*@JS@*/", resource("explorer.js"))
                .replace("/*@DATA@*/", data);
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
