package pvm.cli.explore;

import java.util.List;

/**
 * Just enough JSON for the explorer's data: objects, arrays, strings, numbers and booleans
 * appended to one buffer, with the commas placed by the writer. Strings are escaped by the
 * kernel's {@link pvm.kernel.Json#string}, which keeps the text safe inside an HTML
 * {@code <script>} element.
 */
final class Json {

    private final StringBuilder out = new StringBuilder(1 << 16);
    /** Whether the next value in the current object or array needs a comma before it. */
    private boolean comma;

    Json beginObject() {
        separate();
        out.append('{');
        comma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        comma = true;
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        comma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** The name of the next member of the current object. */
    Json name(String name) {
        separate();
        string(name);
        out.append(':');
        comma = false;
        return this;
    }

    Json value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        comma = true;
        return this;
    }

    Json value(long n) {
        separate();
        out.append(n);
        comma = true;
        return this;
    }

    Json value(boolean b) {
        separate();
        out.append(b);
        comma = true;
        return this;
    }

    Json nullValue() {
        separate();
        out.append("null");
        comma = true;
        return this;
    }

    Json member(String name, String s) {
        return name(name).value(s);
    }

    Json member(String name, long n) {
        return name(name).value(n);
    }

    Json member(String name, boolean b) {
        return name(name).value(b);
    }

    Json member(String name, List<String> lines) {
        name(name).beginArray();
        lines.forEach(this::value);
        return endArray();
    }

    private void separate() {
        if (comma) {
            out.append(',');
        }
    }

    private void string(String s) {
        pvm.kernel.Json.string(s, out);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
