package org.peekaboo.expansion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The passwords tried on an encrypted archive or member: the configured list first, then the words
 * of the mail's own text, where droppers tell their victims the password ("Passwort: 4711"). Words
 * that follow a word like "password" come first; each word is also tried without the punctuation
 * around it. The words are gathered only when an encrypted member asks for them: most mails hold
 * none, and the words of a request's text files cost a read. Thread-safe.
 */
public final class Passwords {
    /** Characters a word is cut at besides white space: a password rarely contains them, prose often. */
    private static final Pattern WORD = Pattern.compile("[^\\s\"'<>«»„“”‘’]+");
    private static final Pattern MARKER = Pattern.compile(
            "(?iU)\\b(pass(word|wort|wd|code)?|pw|pwd|kennwort|mot de passe|contrase[nñ]a|senha|parola|wachtwoord|hasło|haslo|пароль)\\b");
    private static final String TRIM = ".,;:!?()[]{}*";

    private final List<String> configured;
    private final Supplier<List<String>> words;

    /**
     * @param configured the configured passwords, in order
     * @param words      words of the mail's text parts, in order, already bounded
     */
    public Passwords(List<String> configured, List<String> words) {
        this(configured, constant(List.copyOf(words)));
    }

    private Passwords(List<String> configured, Supplier<List<String>> words) {
        this.configured = List.copyOf(configured);
        this.words = words;
    }

    /** The configured passwords and words gathered by {@code words} on first use (once). */
    public static Passwords lazy(List<String> configured, Supplier<List<String>> words) {
        return new Passwords(configured, memoized(words));
    }

    public static Passwords none() {
        return new Passwords(List.of(), List.of());
    }

    public List<String> configured() {
        return configured;
    }

    /** The words of the mail's text; gathers them on the first call. */
    public List<String> words() {
        return words.get();
    }

    /** These passwords, the words of an inner message ({@code more}) before the outer ones, at most {@code maxWords}. */
    public Passwords withWords(List<String> more, int maxWords) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> inner = List.copyOf(more);
        return lazy(configured, () -> {
            Set<String> all = new LinkedHashSet<>(inner);
            all.addAll(words());
            return all.stream().limit(maxWords).toList();
        });
    }

    /** Every candidate, each once, configured ones first. */
    public List<String> candidates() {
        Set<String> all = new LinkedHashSet<>(configured);
        all.addAll(words());
        return List.copyOf(all);
    }

    private static Supplier<List<String>> constant(List<String> words) {
        return () -> words;
    }

    private static Supplier<List<String>> memoized(Supplier<List<String>> words) {
        return new Supplier<>() {
            private List<String> gathered;

            @Override
            public synchronized List<String> get() {
                if (gathered == null) {
                    gathered = List.copyOf(words.get());
                }
                return gathered;
            }
        };
    }

    /**
     * The words of {@code text} that may be a password, at most {@code max}: those after a password
     * marker first, then the others in order; each also without surrounding punctuation.
     */
    public static List<String> wordsOf(String text, int max) {
        if (max <= 0 || text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> all = new ArrayList<>();
        Set<String> marked = new LinkedHashSet<>();
        Matcher marker = MARKER.matcher(text);
        while (marker.find()) {
            // The next two words after the marker: "Password: 1234" and "password is 1234".
            Matcher next = WORD.matcher(text);
            next.region(marker.end(), text.length());
            for (int taken = 0; taken < 3 && next.find(); taken++) {
                addVariants(marked, next.group());
            }
        }
        Matcher word = WORD.matcher(text);
        Set<String> rest = new LinkedHashSet<>();
        while (word.find() && rest.size() < 4 * max) {
            addVariants(rest, word.group());
        }
        Set<String> ordered = new LinkedHashSet<>(marked);
        ordered.addAll(rest);
        for (String candidate : ordered) {
            if (all.size() >= max) {
                break;
            }
            all.add(candidate);
        }
        return all;
    }

    private static void addVariants(Set<String> into, String word) {
        if (word.length() > 64) {
            return;
        }
        int start = 0;
        int end = word.length();
        while (start < end && TRIM.indexOf(word.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && TRIM.indexOf(word.charAt(end - 1)) >= 0) {
            end--;
        }
        String trimmed = word.substring(start, end);
        if (trimmed.isEmpty() || MARKER.matcher(trimmed).matches() || isFiller(trimmed)) {
            return;
        }
        into.add(trimmed);
        if (!trimmed.equals(word)) {
            into.add(word);
        }
        // "Password:4711" written without a space.
        int colon = trimmed.indexOf(':');
        if (colon > 0 && colon < trimmed.length() - 1) {
            into.add(trimmed.substring(colon + 1));
        }
    }

    private static boolean isFiller(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "is", "ist", "est", "es", "the", "das", "der", "die", "le", "la", "el", "for", "für", "zum", "to",
                 "of", "and", "und", "a", "an", "ein", "eine", "lautet", "lauten", "heißt", "are", "sind", "was",
                 "war", "here", "hier", "below", "unten", "je", "jest", "é", "è" -> true;
            default -> false;
        };
    }
}
