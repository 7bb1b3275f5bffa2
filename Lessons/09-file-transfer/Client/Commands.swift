import NetUtil

/// Carries out one command line: `put FILE`, `get NAME`, `list`, `md5 FILE` or `demo`.
func run(_ operands: [String], options: Options, settings: Settings) throws {
    switch operands.first {
    case "put" where operands.count == 2:
        try upload(path: operands[1], options: options, settings: settings)
    case "get" where operands.count == 2:
        try download(name: operands[1], options: options, settings: settings)
    case "list" where operands.count == 1:
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
    case "demo" where operands.count == 1:
        try demo(options: options)
    case "md5" where operands.count == 2:
        // The same MD5 the transfers use, for comparing with md5sum (or timing against it).
        let file = try OpenFile(readingPath: operands[1])
        var hash = MD5()
        try TransferBuffer().hash(file, count: try file.size(), into: &hash)
        Output.line("\(hash.hexDigest())  \(operands[1])")
    default:
        throw ClientError("say what to do: \(usageText) (try --help)")
    }
}
