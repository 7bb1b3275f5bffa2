import NetUtil

/// UDP itself never says "nobody is there"; only our own timeout does.
struct NoAnswer: Error, CustomStringConvertible {
    let server: SocketAddress
    let tries: Int
    var description: String {
        "no answer from \(server) after \(tries == 1 ? "1 try" : "\(tries) tries"); "
            + "is the server running?"
    }
}

/// `--typed` waits for ever and sends once; limits given with it would be ignored.
struct TypedLimits: Error, CustomStringConvertible {
    var description: String {
        "--typed waits for each reply as long as it takes and never sends again; "
            + "leave out --timeout and --retries"
    }
}
