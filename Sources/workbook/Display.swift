import NetUtil

/// How the runner prints: each lesson line with the time since the run
/// started, in the side's colour when a person is watching.
struct Display: Sendable {
    /// Colours only on a terminal, and never when `NO_COLOR` is set (no-color.org).
    let colours: Bool
    /// Also print the runner's own steps, such as the pid of each child.
    let verbose: Bool

    init(verbose: Bool) {
        let noColour = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        colours = isatty(STDOUT_FILENO) == 1 && !noColour
        self.verbose = verbose
    }

    /// `+0.003s server: recv(2) -> "he" (2 bytes), 3 still queued`
    func show(_ line: String, at elapsed: Duration) {
        let time = "+" + threeDecimals(elapsed) + "s"
        guard colours else { return Output.line("\(time) \(line)") }
        let colour =
            line.hasPrefix("server: ") ? cyan : line.hasPrefix("client: ") ? yellow : plain
        Output.line("\(dim)\(time)\(plain) \(colour)\(line)\(plain)")
    }

    func heading(_ lesson: Lesson) {
        let title = "Lesson \(lesson.number) · \(lesson.name): \(lesson.summary)"
        Output.line(colours ? "\(bold)\(title)\(plain)" : title)
    }

    /// A line about the runner itself, shown only with `--verbose`.
    func step(_ text: String) {
        if verbose { Output.line("workbook: \(text)") }
    }

    private var bold: String { "\u{1B}[1m" }
    private var dim: String { "\u{1B}[2m" }
    private var cyan: String { "\u{1B}[36m" }
    private var yellow: String { "\u{1B}[33m" }
    private var plain: String { "\u{1B}[0m" }
}

/// `0.003` for three milliseconds, in integer arithmetic.
private func threeDecimals(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let milliseconds = attoseconds / 1_000_000_000_000_000
    let padding = milliseconds < 10 ? "00" : milliseconds < 100 ? "0" : ""
    return "\(seconds).\(padding)\(milliseconds)"
}
