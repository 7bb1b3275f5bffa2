// Lesson 09 · the client: put, get and list files, streamed through one buffer, checked with MD5.
//
//     swift run lesson09-server --root /tmp/served                 (terminal 1)
//     swift run lesson09-client put notes.txt                      (terminal 2)
//     swift run lesson09-client list; swift run lesson09-client get notes.txt
import NetUtil

let flags: [Flag] = [
    .boolean("overwrite", help: "replace a file that already has the name"),
    .boolean("resume", help: "continue a transfer that was cut, from the bytes already there"),
    .count("max-size", default: 4 << 30, help: "the largest download accepted, in bytes"),
    .seconds("timeout", default: 10, help: "how long the server may stay silent"),
    .count("stop-after", default: Int.max, help: "stop after this many body bytes (to cut)"),
]
let dirFlag = TextFlag("dir", valueName: "DIR", help: "where get saves files (default: here)")
let usageText = "put FILE | get NAME | list | md5 FILE"
let summary = "uploads, downloads and lists the files a lesson09-server serves"

runLesson(
    role: "client", summary: summary, port: 9009, flags: flags, textFlags: [dirFlag],
    operandUsage: usageText
) { options, words in
    let settings = Settings(
        overwrite: options.isOn("overwrite"), resume: options.isOn("resume"),
        maximumSize: options.count("max-size"), timeout: options.seconds("timeout") ?? 10,
        stopAfter: options.count("stop-after"), directory: words.texts["dir"] ?? ".")
    switch words.operands.first {
    case "put" where words.operands.count == 2:
        try upload(path: words.operands[1], options: options, settings: settings)
    case "get" where words.operands.count == 2:
        try download(name: words.operands[1], options: options, settings: settings)
    case "list" where words.operands.count == 1:
        let connection = try connect(options, settings)
        try connection.sendHeader(FrameHeader(fields: ["op": .string("list")], totalSize: 0))
        var decoder = FrameDecoder(maximumBodySize: 16 << 20)
        guard let answer = try connection.receiveFrame(&decoder, recvSize: 65536) else {
            throw ClientError("the server closed the connection without answering")
        }
        try checkStatus(answer.header)
        trace("\(byteCount(answer.body.count)) of names")
        // The names are the server's: shown quoted, so no control character reaches the terminal.
        for line in answer.body.split(separator: UInt8(ascii: "\n")) { Output.line(quoted(line)) }
    case "md5" where words.operands.count == 2:
        // The same MD5 the transfers use, for comparing with md5sum (or timing against it).
        let file = try OpenFile(readingPath: words.operands[1])
        var hash = MD5()
        try TransferBuffer().hash(file, count: try file.size(), into: &hash)
        Output.line("\(hash.hexDigest())  \(words.operands[1])")
    default:
        throw ClientError("say what to do: \(usageText) (try --help)")
    }
}
