/// A transfer's progress on a terminal: bytes, percent and speed, redrawn in
/// place on one line (a carriage return goes back to its start) at most ten
/// times a second. When standard output is not a terminal (a pipe, a file, a
/// test), nothing is drawn: only the summary line, which `finish` returns.
/// `NO_COLOR` set to anything turns the colour off (https://no-color.org).
public final class Progress {
    private let total: Int
    private let label: String
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now
    private var drawing: Bool
    private let colour: Bool

    /// Transfers smaller than this end too fast for a progress line to help.
    public static let threshold = 4 << 20

    public init(label: String, total: Int) {
        self.total = total
        self.label = label
        drawing = isatty(STDOUT_FILENO) == 1 && total > Self.threshold
        colour = getenv("NO_COLOR") == nil
    }

    /// Redraws the line if a tenth of a second has passed since the last time.
    public func update(_ done: Int) {
        guard drawing, ContinuousClock.now - lastDrawn >= .milliseconds(100) else { return }
        lastDrawn = ContinuousClock.now
        let percent = total > 0 ? done * 100 / total : 100
        let percentText = colour ? "\u{1B}[32m\(percent)%\u{1B}[0m" : "\(percent)%"
        // \r: back to the start of the line; ESC[K: clear what the last drawing left.
        Output.prompt(
            "\r\(label): \(done) of \(total) bytes (\(percentText)), "
                + "\(megabytesPerSecond(done)) MB/s\u{1B}[K")
    }

    /// Clears the progress line, if one was drawn, and draws no more: other
    /// lines can follow, such as the peer's answer, before `finish`.
    public func stopDrawing() {
        if drawing { Output.prompt("\r\u{1B}[K") }
        drawing = false
    }

    /// Ends the progress line, if one was drawn, and returns the summary:
    /// `1048576 bytes in 0.01 s (104.86 MB/s)`.
    public func finish(_ done: Int) -> String {
        stopDrawing()
        let elapsed = ContinuousClock.now - started
        return "\(byteCount(done)) in \(secondsText(elapsed)) (\(megabytesPerSecond(done)) MB/s)"
    }

    /// Megabytes (10^6 bytes) per second so far, with two decimals.
    private func megabytesPerSecond(_ done: Int) -> String {
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        let rate = elapsed > 0 ? Double(done) / elapsed / 1e6 : 0
        let hundredths = Int((rate * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
