package dev.gdkit.volgen.graph;

import dev.gdkit.api.error.GdException;

import java.util.Set;

/**
 * The rules a word must follow to be written into a volfile unchanged: GlusterFS's volfile lexer
 * splits on white space, treats {@code #} as a comment, {@code "} as a quote and recognises its
 * keywords anywhere, so any of those inside a name, type, key or value would change the graph.
 */
public final class VolfileSyntax {
    /** Words the volfile lexer reads as keywords wherever they appear. */
    public static final Set<String> KEYWORDS = Set.of("volume", "end-volume", "type", "option", "subvolumes");

    /** Printable ASCII other than '#' and '"': always fine inside a word. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c = '!'; c < 0x7f; c++) {
            PLAIN[c] = c != '#' && c != '"';
        }
    }

    private VolfileSyntax() {
    }

    /**
     * Checks one word; {@code what} describes it for the error (for example
     * {@code "value of option ping-timeout"}).
     *
     * @throws GdException (INVALID_ARGUMENT) naming the word, what it is and why it is refused
     */
    public static void requireWord(String word, String what) {
        String why = problem(word);
        if (why != null) {
            throw GdException.invalid(what + " '" + printable(word) + "' cannot be written into a volfile: " + why,
                    "use a non-empty word of printable characters without white space, '#' or '\"', "
                            + "that is not one of the volfile keywords " + KEYWORDS);
        }
    }

    /** Why a word is refused, or null when it is fine. */
    public static String problem(String word) {
        if (word == null || word.isEmpty()) {
            return "it is empty";
        }
        int n = word.length();
        for (int i = 0; i < n; i++) {
            char c = word.charAt(i);
            if (c < 128 && PLAIN[c]) {
                continue;
            }
            String why = characterProblem(c, i);
            if (why != null) {
                return why;
            }
        }
        if ((n == 4 || n == 6 || n == 10) && isKeyword(word)) {
            return "it is the volfile keyword '" + word + "'";
        }
        return null;
    }

    private static boolean isKeyword(String word) {
        for (String k : KEYWORDS) {
            if (k.equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    private static String characterProblem(char c, int i) {
        if (c == '\n' || c == '\r') {
            return "it contains a line break";
        }
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            return "it contains white space at position " + i;
        }
        if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
            return "it contains the control character U+" + String.format("%04X", (int) c) + " at position " + i;
        }
        if (c == '#') {
            return "it contains '#', which starts a comment";
        }
        if (c == '"') {
            return "it contains '\"', which starts a quoted string";
        }
        return null;
    }

    /** The word with control characters escaped, safe to show in an error message. */
    public static String printable(String word) {
        if (word == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
