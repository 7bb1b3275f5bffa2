import NetUtil

// Each way the server can let a command down: one line naming the command, exit status 1.

/// The server hung up between frames, before answering: the command's fate is unknown.
struct NoAnswer: Error, CustomStringConvertible {
    let command: String
    var description: String {
        "the server closed the connection without answering \(quoted(command))"
    }
}

/// Nothing more arrived within `--timeout`: no answer at all, or half of one.
struct Silent: Error, CustomStringConvertible {
    let command: String
    let timeout: Double
    /// Whether part of the answer's frame had arrived.
    let started: Bool
    var description: String {
        let waited = secondsText(.seconds(timeout))
        return started
            ? "the server went silent part-way through the answer to \(quoted(command)) "
                + "for \(waited) (--timeout)"
            : "no answer to \(quoted(command)) within \(waited) (--timeout)"
    }
}

/// Bytes were waiting before the command was sent, so no request asked for them.
struct Unsolicited: Error, CustomStringConvertible {
    let command: String
    var description: String {
        "the server sent a frame nobody asked for (found before sending \(quoted(command))): "
            + "an unsolicited frame would make every later answer one behind"
    }
}

/// The server turned us away before any request: it serves as many clients as it may.
struct ServerBusy: Error, CustomStringConvertible {
    let reason: [UInt8]
    var description: String {
        "the server turned this connection away (exit status 75): \(quoted(reason))"
    }
}

/// The body is not what the header's crc32 says the server sent.
struct Damaged: Error, CustomStringConvertible {
    let command: String
    var description: String {
        "the answer to \(quoted(command)) is damaged: its body does not match its crc32"
    }
}
