/// Reads what the user types, or what a pipe feeds in, one line at a time.
public enum Input {
    /// The next line of standard input without its newline, or nil at end of input.
    ///
    /// `prompt` is shown only when standard input is a terminal: a person
    /// typing needs it, while a script piping commands in (`printf ... |`)
    /// would only get it mixed into the trace. Only one thread may read input.
    ///
    /// The corresponding C functions are `isatty(3)` and `getline(3)`.
    public static func line(prompt: String) -> String? {
        if isatty(STDIN_FILENO) == 1 { Output.text(prompt) }
        return readLine(strippingNewline: true)
    }
}

extension String {
    /// The string without spaces, tabs or newlines at either end.
    public var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
