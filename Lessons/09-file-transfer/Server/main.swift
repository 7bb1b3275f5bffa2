// Lesson 09 · sending files: lesson 05's frame, with a body far larger than memory.
//
//     swift run lesson09-server [--root DIR] [--max-size N]       (terminal 1)
//     swift run lesson09-client put FILE | get NAME | list        (terminal 2)
import NetUtil
import Synchronization

let flags: [Flag] = [
    .count(
        "max-size", default: 4 << 30, maximum: 1 << 40, help: "the largest file accepted, in bytes"),
    .seconds(
        "timeout", default: 10,
        help: "how long a client may stay silent mid-request, take over its header,"
            + " or take over each 256 KiB of an upload"),
    .count("max-clients", default: 8, maximum: 1024, help: "connections served at once"),
    .count(
        "max-partials", default: 16, maximum: 1024, zero: "a cut upload keeps nothing",
        help: "cut uploads kept for --resume; past it, the oldest is removed"),
]
let rootFlag = TextFlag("root", valueName: "DIR", help: "directory to serve (default: a new one)")
let summary = "stores and serves the files of one directory, streamed and checked with MD5"

runLesson(
    role: "server", summary: summary, port: 9009, flags: flags, textFlags: [rootFlag],
    operandUsage: nil, watchesStopSignals: true
) { options, words in
    guard words.operands.isEmpty else { throw UnexpectedOperand(word: words.operands[0]) }
    // Every file name from the network is looked up relative to this one
    // descriptor; the server never builds a path out of a name.
    let given = words.texts["root"]
    let root = try Directory(path: given ?? makeFreshDirectory())
    trace("serving \(root.path)" + (given == nil ? " (new; removed when the server stops)" : ""))
    // Ctrl-C is taken before "listening on" is printed: a signal from then on
    // ends the server with its line, and removes a fresh directory first.
    onStopSignal { signal in
        // Removed before the line: with the terminal gone, that write ends us (SIGPIPE).
        if given == nil { root.removeFilesAndSelf() }
        traceLastLine("stopping (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))")
        exit(0)
    }
    let listener: TCPListener
    do {
        listener = try TCPListener(host: options.host, port: options.port, backlog: 16)
    } catch {
        if given == nil { root.removeFilesAndSelf() }  // made for this run, which ends here
        throw error
    }
    trace("listening on \(listener.address)")
    let limits = Limits(
        maximumSize: options.count("max-size"), timeout: options.seconds("timeout") ?? 10,
        maximumPartials: options.count("max-partials"))
    let maximumClients = options.count("max-clients")
    let serving = Atomic<Int>(0)
    while true {
        do {
            let (connection, peer) = try listener.accept()
            trace("\(peer): connected")
            // A cap on connections: past it, a newcomer is told so and let go,
            // instead of costing the server one more thread and descriptor.
            guard serving.add(1, ordering: .relaxed).newValue <= maximumClients else {
                serving.subtract(1, ordering: .relaxed)
                refuse(connection, "busy: \(maximumClients) clients are being served; try later")
                trace("\(peer): refused, \(maximumClients) clients already")
                continue
            }
            try startThread {
                serve(connection, peer: peer, root: root, limits: limits)
                serving.subtract(1, ordering: .relaxed)
            }
        } catch {
            // ECONNABORTED, EMFILE, no thread left: one client is lost, not the server.
            trace("\(error)")
        }
    }
}

/// A new directory under /tmp, for a server started without --root.
func makeFreshDirectory() throws -> String {
    var template = Array("/tmp/lesson09-XXXXXX".utf8CString)
    guard mkdtemp(&template) != nil else {
        throw FileError.failed(call: "mkdtemp", name: "/tmp/lesson09-XXXXXX", errno: errno)
    }
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

struct UnexpectedOperand: Error, CustomStringConvertible {
    let word: String
    var description: String { "unexpected argument \(quoted(word)) (try --help)" }
}
