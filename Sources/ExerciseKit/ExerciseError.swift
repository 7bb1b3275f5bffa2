/// What an exercise's function throws when it cannot return what was asked
/// for. The checks expect these exact cases, so an exercise says which to use.
public enum ExerciseError: Error, Equatable, CustomStringConvertible {
    /// The stub's answer: nothing written yet. The checker reports "not started".
    case notStarted
    /// The peer closed after sending `received` bytes of a message, not all of it.
    case closedPartWay(received: Int)
    /// Nothing arrived before the deadline.
    case timedOut
    /// A length prefix announced more bytes than the limit allows.
    case tooLong(length: Int)
    /// Every attempt went unanswered.
    case noReply
    /// An answer read to its end went on past `limit` bytes.
    case longerThan(limit: Int)
    /// A system call failed: its name and errno.
    case failed(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .notStarted: "notStarted"
        case .closedPartWay(let received): "closedPartWay(received: \(received))"
        case .timedOut: "timedOut"
        case .tooLong(let length): "tooLong(length: \(length))"
        case .noReply: "noReply"
        case .longerThan(let limit): "longerThan(limit: \(limit))"
        case .failed(let call, let code): "failed(call: \"\(call)\", errno: \(code))"
        }
    }
}
