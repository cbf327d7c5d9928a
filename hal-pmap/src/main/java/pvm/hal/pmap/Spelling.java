package pvm.hal.pmap;

import java.util.Collection;
import java.util.List;

/**
 * Which known word a misspelt one may have meant, by edit distance: how pvm suggests {@code i686}
 * for {@code i868}, wherever a name is looked up (a target, a command, an option).
 */
public final class Spelling {

    private Spelling() {
    }

    /** The words of {@code known} at most one edit from a short {@code word}, two from a longer one, sorted. */
    public static List<String> near(String word, Collection<String> known) {
        int limit = word.length() <= 3 ? 1 : 2;
        return known.stream().filter(k -> distance(word, k) <= limit).sorted().toList();
    }

    /** {@code ; did you mean A or B?} for the words {@link #near} {@code word}, or nothing when none is. */
    public static String didYouMean(String word, Collection<String> known) {
        List<String> near = near(word, known);
        return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
