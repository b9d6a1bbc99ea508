package dev.gymlink.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the gymlink command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Gymlink.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The stderr lines, for asserting "one line, no stack trace". */
    String[] errLines() {
        return err.isEmpty() ? new String[0] : err.strip().split("\\R");
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
