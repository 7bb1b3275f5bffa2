// Lesson 09 · the client: put, get and list files, streamed through one buffer, checked with MD5.
//
//     swift run lesson09-server --root /tmp/served                 (terminal 1)
//     swift run lesson09-client put notes.txt                      (terminal 2)
//     swift run lesson09-client list; swift run lesson09-client get notes.txt
import NetUtil

let flags: [Flag] = [
    .boolean("overwrite", help: "replace a file that already has the name"),
    .boolean("resume", help: "continue a transfer that was cut, from the bytes already there"),
    .count(
        "max-size", default: 4 << 30, maximum: 1 << 40,
        help: "the largest download accepted, in bytes"),
    .seconds("timeout", default: 10, help: "how long the server may stay silent"),
    .count(
        "stop-after", default: 0, maximum: 1 << 40, zero: "send the whole body",
        help: "stop after this many body bytes (to cut)"),
]
let dirFlag = TextFlag("dir", valueName: "DIR", help: "where get saves files (default: here)")
let usageText = "put FILE | get NAME | list | md5 FILE | demo"
let summary = "uploads, downloads and lists the files a lesson09-server serves"

runLesson(
    role: "client", summary: summary, port: 9009, flags: flags, textFlags: [dirFlag],
    operandUsage: usageText
) { options, words in
    let settings = Settings(
        overwrite: options.isOn("overwrite"), resume: options.isOn("resume"),
        maximumSize: options.count("max-size"), timeout: options.seconds("timeout") ?? 10,
        stopAfter: options.count("stop-after") == 0 ? Int.max : options.count("stop-after"),
        directory: words.texts["dir"] ?? ".")
    do {
        try run(words.operands, options: options, settings: settings)
    } catch let cut as TransferCut {
        // The kernel closes the connection when the program ends: cut part-way.
        trace("\(cut)")
        exit(3)
    }
}
