/// One lesson as the runner sees it: what to start, and what to ask.
struct Lesson: Sendable {
    /// Two digits, as in the folder name: `"01"`.
    let number: String
    /// The folder name without its number: `"recv-partial"`.
    let name: String
    let summary: String
    /// Arguments for the server besides `--port 0`.
    var server: [String] = []
    /// Arguments for the client besides `--port`, such as a short `--hold`.
    var client: [String] = []
    /// Lines written to the client's standard input, for lessons that read commands;
    /// the input is closed after them either way.
    var clientInput: String? = nil
    /// Whether the server ends by itself once the client is done.
    var serverEnd: ServerEnd = .exitsByItself
    var questions: [Question]

    var folder: String { "\(number)-\(name)" }
    var serverProduct: String { "lesson\(number)-server" }
    var clientProduct: String { "lesson\(number)-client" }

    /// True for `3`, `03` and `recv-eof`.
    func isNamed(_ given: String) -> Bool {
        given == name || given == folder || (Int(given) != nil && Int(given) == Int(number))
    }
}

/// How a lesson's server ends.
enum ServerEnd: Sendable {
    /// It serves one client and exits: the runner waits for it.
    case exitsByItself
    /// It keeps serving: once the client has exited and the server has printed
    /// nothing for a moment, the runner stops it with SIGTERM.
    case stopWhenQuiet
}

/// A "predict first" question and the rule that finds its answer in a run.
struct Question: Sendable {
    let text: String
    let answer: AnswerRule

    init(_ text: String, answer: AnswerRule) {
        self.text = text
        self.answer = answer
    }
}

/// Reads the expected answer from the run's lines, and says how to compare it.
struct AnswerRule: Sendable {
    enum Kind: Sendable {
        /// Bytes as the trace quotes them; the learner may type the quotes or not.
        case bytes
        /// A number, right when within `tolerance` of the run's.
        case number(tolerance: Double)
        /// A word such as yes or no, in any case.
        case word
    }

    let kind: Kind
    /// The answer the run printed, or nil if the run did not print the line it is read from.
    let read: @Sendable (RunLines) -> String?

    static func bytes(_ read: @escaping @Sendable (RunLines) -> String?) -> AnswerRule {
        AnswerRule(kind: .bytes, read: read)
    }

    static func number(
        within tolerance: Double = 0, _ read: @escaping @Sendable (RunLines) -> String?
    ) -> AnswerRule {
        AnswerRule(kind: .number(tolerance: tolerance), read: read)
    }

    static func word(_ read: @escaping @Sendable (RunLines) -> String?) -> AnswerRule {
        AnswerRule(kind: .word, read: read)
    }

    /// True when `given` matches `expected`, the answer read from the run.
    func accepts(_ given: String, expected: String) -> Bool {
        let answer = given.trimmingSpaces
        guard !answer.isEmpty else { return false }
        switch kind {
        case .bytes:
            return answer.withoutQuotes == expected
        case .number(let tolerance):
            guard let number = answer.leadingNumber, let wanted = Double(expected) else {
                return false
            }
            return abs(number - wanted) <= tolerance
        case .word:
            return answer.lowercased() == expected.lowercased()
        }
    }

    /// The expected answer the way a learner would type it: bytes in quotes.
    func shown(_ expected: String) -> String {
        if case .bytes = kind { return "\"\(expected)\"" }
        return expected
    }
}
