package pvm.cli;

/** The few SVG elements the pictures use. */
final class Svg {

    private Svg() {
    }

    static String document(int width, int height, String body) {
        return String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"monospace\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n%s</svg>%n",
                width, height, width, height, body);
    }

    static String rect(int x, int y, int w, int h, String fill) {
        return String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", x, y, w, h, fill);
    }

    static String text(int x, int y, String text, int size) {
        return String.format("<text x=\"%d\" y=\"%d\" font-size=\"%d\">%s</text>%n", x, y, size, escape(text));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
