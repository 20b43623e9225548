package dev.unroll.runtime;

/**
 * Base of every exception the runtime throws on bad input: the message says what and where. Text
 * from files (tensor names, JSON members) is echoed safely: control characters appear escaped
 * (as <code>&#92;u001b</code>), so a file cannot forge lines or drive a terminal, and a message is at most
 * {@value #MAX_MESSAGE} characters.
 */
public class UnrollException extends RuntimeException {
    /** The longest message; the rest is elided with a count. */
    public static final int MAX_MESSAGE = 2000;
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the tensor, argument or file at fault */
    public UnrollException(String message) {
        super(safe(message));
    }

    /**
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public UnrollException(String message, Throwable cause) {
        super(safe(message), cause);
    }

    /**
     * @param text any text
     * @return it with control characters (and other invisible formatting characters) escaped as
     *     <code>&#92;uXXXX</code>, cut to {@link #MAX_MESSAGE} characters
     */
    public static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_MESSAGE + 64));
        for (int i = 0; i < text.length(); i++) {
            if (sb.length() >= MAX_MESSAGE) {
                sb.append("... (").append(text.length() - i).append(" more characters)");
                break;
            }
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
