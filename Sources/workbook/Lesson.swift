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
    /// How Notes.md runs the lesson in two terminals: one pair of commands per demo.
    var byHand: [HandRun] = [HandRun()]
    var questions: [Question]

    var folder: String { "\(number)-\(name)" }
    var serverProduct: String { "lesson\(number)-server" }
    var clientProduct: String { "lesson\(number)-client" }

    /// True for `3`, `03` and `recv-eof`.
    func isNamed(_ given: String) -> Bool {
        given == name || given == folder || (Int(given) != nil && Int(given) == Int(number))
    }
}

/// One two-terminal run as Notes.md gives it: the flags after `swift run lessonNN-server`
/// and after `swift run lessonNN-client`, and what to type in the client's terminal.
struct HandRun: Sendable {
    var server: [String] = []
    var client: [String] = []
    var typing: String? = nil
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
        /// The name of an errno, such as `EAGAIN`, in any case.
        case errorName
        /// One of a few words the question offers, in any case.
        case oneOf([String])
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

    static func errorName(_ read: @escaping @Sendable (RunLines) -> String?) -> AnswerRule {
        AnswerRule(kind: .errorName, read: read)
    }

    static func oneOf(
        _ words: [String], _ read: @escaping @Sendable (RunLines) -> String?
    ) -> AnswerRule {
        AnswerRule(kind: .oneOf(words), read: read)
    }

    /// How the answer is to be written, said after each question.
    /// The examples are answers to no question, so they give nothing away.
    var form: String {
        switch kind {
        case .bytes: "(the bytes, such as \"ab\" or b'ab'; nothing at all is \"\", b'' or empty)"
        case .number(let tolerance) where tolerance > 0: "(a number, such as 7, seven or 0.5)"
        case .number: "(a number, such as 7 or seven)"
        case .word: "(yes or no)"
        case .errorName: "(an errno name, such as EINTR)"
        case .oneOf(let words): "(" + words.joined(separator: " or ") + ")"
        }
    }

    /// True when `given` matches `expected`, the answer read from the run.
    func accepts(_ given: String, expected: String) -> Bool {
        let answer = TypedAnswer(given)
        switch kind {
        case .bytes:
            return answer.bytes == expected
        case .number(let tolerance):
            guard let number = answer.number, let wanted = Double(expected) else { return false }
            return abs(number - wanted) <= tolerance
        case .word, .errorName, .oneOf:
            return answer.text.lowercased() == expected.lowercased()
        }
    }

    /// The expected answer the way a learner would type it: bytes in quotes.
    func shown(_ expected: String) -> String {
        if case .bytes = kind { return "\"\(expected)\"" }
        return expected
    }
}
