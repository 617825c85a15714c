package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void wordsAfterAPasswordMarkerComeFirst() {
        String body = "Sehr geehrte Damen und Herren,\nanbei die Rechnung. Das Passwort lautet: Rechnung2024\n"
                + "Mit freundlichen Grüßen";
        List<String> words = Passwords.wordsOf(body, 200);
        assertThat(words.getFirst()).isEqualTo("Rechnung2024");
        assertThat(words).contains("Sehr", "anbei", "Rechnung.");
    }

    @Test
    void punctuationAroundAWordIsTriedWithAndWithout() {
        List<String> words = Passwords.wordsOf("The archive password is \"X7#kq\". Open it (pw:4711).", 50);
        assertThat(words).contains("X7#kq", "4711", "pw:4711", "(pw:4711).");
        assertThat(words.indexOf("X7#kq")).isLessThan(words.indexOf("Open"));
        assertThat(words).doesNotContain("is", "password");
    }

    @Test
    void markersInOtherLanguagesAndScripts() {
        assertThat(Passwords.wordsOf("Contraseña: gato99 gracias", 5)).startsWith("gato99");
        assertThat(Passwords.wordsOf("Пароль: 9981 спасибо", 5)).startsWith("9981");
        assertThat(Passwords.wordsOf("PWD=abc list", 5)).contains("PWD=abc");
    }

    @Test
    void atMostMaxWordsAndNoneFromNothing() {
        assertThat(Passwords.wordsOf("one two three four five six", 3)).containsExactly("one", "two", "three");
        assertThat(Passwords.wordsOf("", 10)).isEmpty();
        assertThat(Passwords.wordsOf(null, 10)).isEmpty();
        assertThat(Passwords.wordsOf("some words", 0)).isEmpty();
        assertThat(Passwords.wordsOf("x".repeat(65), 10)).isEmpty();
    }

    @Test
    void configuredPasswordsComeBeforeWordsEachOnce() {
        Passwords passwords = new Passwords(List.of("infected", "1234"), List.of("1234", "secret"));
        assertThat(passwords.candidates()).containsExactly("infected", "1234", "secret");
    }

    @Test
    void lazyWordsAreGatheredOnceAndOnlyWhenAsked() {
        AtomicInteger gathered = new AtomicInteger();
        Passwords passwords = Passwords.lazy(List.of("infected"), () -> {
            gathered.incrementAndGet();
            return List.of("fromBody");
        });
        Passwords inner = passwords.withWords(List.of("fromInnerMail"), 10);
        assertThat(gathered).hasValue(0);
        assertThat(inner.candidates()).containsExactly("infected", "fromInnerMail", "fromBody");
        assertThat(passwords.candidates()).containsExactly("infected", "fromBody");
        assertThat(gathered).hasValue(1);
    }

    @Test
    void innerWordsAreBoundedToo() {
        Passwords passwords = new Passwords(List.of(), List.of("a", "b")).withWords(List.of("c", "d"), 3);
        assertThat(passwords.words()).containsExactly("c", "d", "a");
        assertThat(new Passwords(List.of(), List.of("a")).withWords(List.of(), 3).words()).containsExactly("a");
    }
}
