package dev.gymlink.cli;

import java.io.Console;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Whether output goes to a person at a terminal (live progress bar) or to a log (plain lines). */
final class Terminal {

    private Terminal() {}

    static boolean isInteractive() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 System.console() exists even when output is redirected; Console.isTerminal()
        // then tells the truth. Looked up at run time because the code targets Java 17.
        try {
            return (boolean) MethodHandles.publicLookup()
                    .findVirtual(Console.class, "isTerminal", MethodType.methodType(boolean.class))
                    .invoke(console);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
