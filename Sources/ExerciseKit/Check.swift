import NetUtil

/// One thing an exercise must get right, checked against a scripted peer.
public struct Check<Implementation: Sendable>: Sendable {
    /// What a right answer does, as a statement: `returns "hello" sent one byte at a time`.
    public let name: String
    /// One line for a learner whose code fails this check: the usual
    /// mistake, and where Notes.md explains it.
    public let hint: String
    /// How long the code may take before it counts as stuck.
    public let limit: Duration
    /// Runs the code against the peer; returns what differed, or nil.
    let body: @Sendable (Implementation) throws -> Mismatch?

    public init(
        _ name: String,
        hint: String,
        limit: Duration = .seconds(1),
        _ body: @escaping @Sendable (Implementation) throws -> Mismatch?
    ) {
        self.name = name
        self.hint = hint
        self.limit = limit
        self.body = body
    }
}

/// What a check expected, and what the code did instead.
public struct Mismatch: Sendable, Equatable {
    public let expected: String
    public let got: String
    /// A hint for this particular wrong result, in place of the check's own.
    public let hint: String?

    public init(expected: String, got: String, hint: String? = nil) {
        self.expected = expected
        self.got = got
        self.hint = hint
    }
}

/// What the code did, as the checks compare and print it: a returned value
/// or a thrown error, both as text.
public enum Outcome: Equatable, CustomStringConvertible, Sendable {
    case returned(String)
    case threw(String)

    /// Runs `body` and records what it did. Only `ExerciseError.notStarted`
    /// goes on up: a stub is reported as "not started", never as failing.
    public static func of(_ body: () throws -> String) throws -> Outcome {
        do {
            return .returned(try body())
        } catch ExerciseError.notStarted {
            throw ExerciseError.notStarted
        } catch {
            return .threw("\(error)")
        }
    }

    public var description: String {
        switch self {
        case .returned(let text): text
        case .threw(let error): "throws \(error)"
        }
    }
}

/// nil when `got` is `expected`; otherwise the pair, for the report.
public func expect(_ got: Outcome, _ expected: Outcome) -> Mismatch? {
    got == expected ? nil : Mismatch(expected: "\(expected)", got: "\(got)")
}

/// Bytes as the reports print them: `"hello" (5 bytes)`, or `nil`.
public func shown(_ bytes: [UInt8]?) -> String {
    guard let bytes else { return "nil" }
    return "\(quoted(bytes)) (\(byteCount(bytes.count)))"
}

/// A list of messages as the reports print them: `["hello", "world"]`.
public func shownMessages(_ messages: [[UInt8]]) -> String {
    "[" + messages.map { quoted($0) }.joined(separator: ", ") + "]"
}
