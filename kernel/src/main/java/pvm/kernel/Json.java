package pvm.kernel;

import java.util.List;
import java.util.Map;

/**
 * The little JSON pvm writes ({@code --json}): objects from insertion-ordered maps, arrays from
 * lists, strings, numbers, booleans and null. Written by hand because this is all pvm needs: no
 * parsing, no binding.
 */
public final class Json {

    /** Text that is JSON already (a view's), written as it is. */
    public record Raw(String json) {
    }

    private Json() {
    }

    /** {@code value} as JSON: a {@link Map} with string keys, a {@link List}, a {@link CharSequence}, a {@link Number}, a {@link Boolean} or null. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        switch (v) {
            case null -> sb.append("null");
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(String.valueOf(e.getKey()), sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(l.get(i), sb);
                }
                sb.append(']');
            }
            case Raw r -> sb.append(r.json());
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            default -> string(v.toString(), sb);
        }
    }

    /**
     * Appends {@code s} as a JSON string. Besides what JSON requires, {@code <}, {@code >}, {@code &}
     * and the two line separators are written as {@code \\u} escapes, so the text is also safe inside an
     * HTML {@code <script>} element (the explorer embeds it; no {@code </script>} can end it early).
     */
    public static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
