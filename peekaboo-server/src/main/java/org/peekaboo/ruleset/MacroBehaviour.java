package org.peekaboo.ruleset;

/**
 * What a macro's code does that ordinary document macros do not, as the
 * {@code office_macro_dropper} rule names it in its reason and {@code olereport} lists it in
 * {@link #attribute()}.
 */
public enum MacroBehaviour {
    EXECUTION("runs programs", "detected_execution"),
    DOWNLOAD("downloads", "detected_download"),
    FILE_WRITE("writes files", "detected_file_write"),
    CODE_LOADING("loads code", "detected_code_loading"),
    OBFUSCATION("hides what it does", "detected_obfuscation");

    private final String phrase;
    private final String attribute;

    MacroBehaviour(String phrase, String attribute) {
        this.phrase = phrase;
        this.attribute = attribute;
    }

    /** How a reason says it, e.g. "runs programs". */
    public String phrase() {
        return phrase;
    }

    /** The {@code olereport} attribute listing the indicators of this behaviour. */
    public String attribute() {
        return attribute;
    }
}
