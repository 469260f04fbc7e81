package dev.gdkit.volgen.graph;

import dev.gdkit.api.error.GdException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads GlusterFS volfile text into a {@link Graph}, following GlusterFS's own volfile grammar:
 * words separated by white space, keywords ({@code volume}, {@code type}, {@code option},
 * {@code subvolumes}, {@code end-volume}) case-insensitive, {@code #} to the end of the line a
 * comment, double-quoted words allowed. A subvolume must be defined before it is used, names are
 * unique, and each block has exactly one type. Stateless and thread-safe.
 */
public final class VolfileParser {

    private record Token(String text, boolean quoted, int line) {
        boolean is(String keyword) {
            return !quoted && text.toLowerCase(Locale.ROOT).equals(keyword);
        }
    }

    /** Parses volfile text. @throws GdException (INVALID_ARGUMENT) naming the line and what is wrong */
    public Graph parse(String text) {
        List<Token> tokens = tokenize(text);
        List<Xlator> xlators = new ArrayList<>();
        Set<String> defined = new HashSet<>();
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (!t.is("volume")) {
                throw error(t.line, "expected 'volume' but found '" + t.text + "'");
            }
            Token name = word(tokens, i + 1, t.line, "a translator name after 'volume'");
            if (!defined.add(name.text)) {
                throw error(name.line, "translator '" + name.text + "' is defined twice");
            }
            i += 2;
            String type = null;
            Map<String, String> options = new LinkedHashMap<>();
            List<String> subvolumes = new ArrayList<>();
            boolean ended = false;
            while (i < tokens.size() && !ended) {
                Token k = tokens.get(i);
                if (k.is("type")) {
                    Token v = word(tokens, i + 1, k.line, "a type after 'type'");
                    if (type != null) {
                        throw error(k.line, "translator '" + name.text + "' has a second type '" + v.text + "'");
                    }
                    type = v.text;
                    i += 2;
                } else if (k.is("option")) {
                    Token key = word(tokens, i + 1, k.line, "an option key after 'option'");
                    Token value = word(tokens, i + 2, k.line, "a value for option '" + key.text + "'");
                    options.put(key.text, value.text);
                    i += 3;
                } else if (k.is("subvolumes")) {
                    i++;
                    int before = subvolumes.size();
                    while (i < tokens.size() && !isKeyword(tokens.get(i))) {
                        Token s = tokens.get(i);
                        if (!defined.contains(s.text) || s.text.equals(name.text)) {
                            throw error(s.line, "subvolume '" + s.text + "' of '" + name.text
                                    + "' is not defined before it");
                        }
                        subvolumes.add(s.text);
                        i++;
                    }
                    if (subvolumes.size() == before) {
                        throw error(k.line, "'subvolumes' without names in translator '" + name.text + "'");
                    }
                } else if (k.is("end-volume")) {
                    ended = true;
                    i++;
                } else {
                    throw error(k.line, "unexpected '" + k.text + "' in translator '" + name.text + "'");
                }
            }
            if (!ended) {
                throw error(name.line, "translator '" + name.text + "' has no 'end-volume'");
            }
            if (type == null) {
                throw error(name.line, "translator '" + name.text + "' has no type");
            }
            xlators.add(new Xlator(name.text, type, options, subvolumes));
        }
        if (xlators.isEmpty()) {
            throw GdException.invalid("the volfile defines no translator", "give at least one 'volume ... end-volume' block");
        }
        return new Graph(xlators);
    }

    private static boolean isKeyword(Token t) {
        return !t.quoted && VolfileSyntax.KEYWORDS.contains(t.text.toLowerCase(Locale.ROOT));
    }

    private static Token word(List<Token> tokens, int at, int line, String expected) {
        if (at >= tokens.size()) {
            throw error(line, "expected " + expected + " but the file ends");
        }
        Token t = tokens.get(at);
        if (isKeyword(t)) {
            throw error(t.line, "expected " + expected + " but found the keyword '" + t.text + "'");
        }
        return t;
    }

    private static List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw error(line, "a quoted string is not closed");
                }
                String s = text.substring(i + 1, end);
                if (s.indexOf('\n') >= 0) {
                    throw error(line, "a quoted string spans lines");
                }
                out.add(new Token(s, true, line));
                i = end + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '#'
                        && text.charAt(i) != '"') {
                    i++;
                }
                out.add(new Token(text.substring(start, i), false, line));
            }
        }
        return out;
    }

    private static GdException error(int line, String what) {
        return GdException.invalid("volfile line " + line + ": " + what,
                "write blocks as 'volume NAME', 'type CATEGORY/NAME', 'option KEY VALUE', "
                        + "'subvolumes CHILD...', 'end-volume', children before parents");
    }
}
