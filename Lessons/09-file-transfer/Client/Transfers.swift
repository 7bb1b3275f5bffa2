import NetUtil

/// The client's flags, read once.
struct Settings {
    var overwrite: Bool
    var resume: Bool
    let maximumSize: Int
    let timeout: Double
    var stopAfter: Int
    let directory: String
}

/// A failure that is not a system call's: a refusal, a mismatch, a misuse.
struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}

func connect(_ options: Options, _ settings: Settings) throws -> Socket {
    let connection = try connectToServer(options)
    try connection.setReceiveTimeout(seconds: settings.timeout)
    try connection.setSendTimeout(seconds: settings.timeout)
    try connection.setNoDelay()
    return connection
}

/// Throws the server's error text unless the answer says `"status": "ok"`.
func checkStatus(_ answer: FrameHeader) throws {
    trace("answer \(String(decoding: answer.json, as: UTF8.self))")
    guard answer.string("status") == "ok" else {
        // The text is the server's: escaped, so no CR, LF or ESC in it reaches the terminal.
        let reason = answer.string("error").map { escaped(Array($0.utf8)) }
        throw ClientError("the server refused: \(reason ?? "no reason given")")
    }
}

/// Receives the answer header, which a refusal may send before the body has gone.
func receiveAnswer(_ connection: Socket) throws -> FrameHeader {
    guard let answer = try connection.receiveHeader() else {
        throw ClientError("the server closed the connection without answering")
    }
    return answer
}

/// A transfer that --stop-after cut short on purpose: the connection is
/// closed part-way through the body, as if the network had failed.
struct TransferCut: Error, CustomStringConvertible {
    let moved: Int
    let total: Int
    var description: String { "stopping after \(byteCount(moved)) of \(total) (--stop-after)" }
}

func stopIfCut(_ settings: Settings, moved: Int, of total: Int) throws {
    guard moved < total else { return }
    throw TransferCut(moved: moved, total: total)
}

/// put: hash the whole file (its MD5 goes in the header), then stream it.
func upload(path: String, options: Options, settings: Settings) throws {
    let file = try OpenFile(readingPath: path)
    let name = String(path.split(separator: "/").last ?? "")
    try checkFileName(name)
    let size = try file.size()
    let buffer = TransferBuffer()
    var hash = MD5()
    try buffer.hash(file, count: size, into: &hash)
    var offset = 0
    if settings.resume {
        // Ask how much of a cut upload the server kept; only the rest is sent.
        let ask = try connect(options, settings)
        try ask.sendHeader(
            FrameHeader(
                fields: ["op": .string("partial"), "filename": .string(name)], totalSize: 0))
        let answer = try receiveAnswer(ask)
        try checkStatus(answer)
        offset = min(answer.integer("partial_size") ?? 0, size)
    }
    var fields: [String: HeaderValue] = [
        "op": .string("put"), "filename": .string(name), "MD5": .string(hash.hexDigest()),
    ]
    if offset > 0 { fields["offset"] = .integer(offset) }
    if settings.overwrite { fields["overwrite"] = .integer(1) }
    let header = FrameHeader(fields: fields, totalSize: size - offset)
    let connection = try connect(options, settings)
    try connection.sendHeader(header)
    trace("header \(String(decoding: header.json, as: UTF8.self))")
    try file.seek(to: offset)
    let progress = Progress(label: "put \(name)", total: size - offset)
    let sending = min(size - offset, settings.stopAfter)
    do {
        let sent = try buffer.sendBody(from: file, count: sending, to: connection) {
            progress.update($0)
        }
        if sent == sending && sending < size - offset {
            // A cut: FIN part-way through the body. Waiting for the server to
            // close too means it has dealt with the cut before anything else.
            try? connection.shutdown(.write)
            _ = try? connection.receiveExactly(1)
            try stopIfCut(settings, moved: sent, of: size - offset)
        }
    } catch let error as SocketError {
        // The server may have refused and closed while the body was going: its answer says why.
        trace("\(error)")
    }
    // The time counts until the server says it stored the file, checked.
    progress.stopDrawing()
    try checkStatus(try receiveAnswer(connection))
    let line = progress.finish(size - offset)
    trace("put \(quoted(name)): \(line), MD5 \(hash.hexDigest()) matched")
}

/// get: into `NAME.part` first, renamed to NAME only once the MD5 matches.
func download(name: String, options: Options, settings: Settings) throws {
    try checkFileName(name)
    let here = try Directory(path: settings.directory)
    let partial = name + ".part"
    if here.entry(name) != nil && !settings.overwrite {
        throw ClientError("\(quoted(name)) exists here; --overwrite replaces it")
    }
    var offset = 0
    if let kept = here.entry(partial) {
        guard settings.resume, kept.isRegular else {
            throw ClientError("\(quoted(partial)) exists: --resume continues it, or delete it")
        }
        offset = kept.size
    }
    let connection = try connect(options, settings)
    var fields: [String: HeaderValue] = ["op": .string("get"), "filename": .string(name)]
    if offset > 0 { fields["offset"] = .integer(offset) }
    try connection.sendHeader(FrameHeader(fields: fields, totalSize: 0))
    let answer = try receiveAnswer(connection)
    try checkStatus(answer)
    // The server's numbers are checked like any other network input.
    let size = answer.integer("size") ?? answer.totalSize
    guard answer.string("filename") == name, answer.integer("offset") ?? 0 == offset,
        answer.totalSize == size - offset, size <= settings.maximumSize,
        let expected = answer.string("MD5")
    else { throw ClientError("the answer does not fit the request (name, offset, sizes or MD5)") }
    var hash = MD5()
    let buffer = TransferBuffer()
    let file = offset > 0 ? try here.openForAppending(partial) : try here.createNew(partial)
    if offset > 0 { try buffer.hash(try here.openForReading(partial), count: offset, into: &hash) }
    let progress = Progress(label: "get \(name)", total: answer.totalSize)
    let receiving = min(answer.totalSize, settings.stopAfter)
    do {
        try buffer.receiveBody(receiving, from: connection, to: file, hash: &hash) {
            progress.update($0)
        }
        try stopIfCut(settings, moved: receiving, of: answer.totalSize)
    } catch let error as SocketError {
        throw ClientError("\(error); \(quoted(partial)) kept: get --resume continues it")
    }
    let line = progress.finish(answer.totalSize)
    guard hash.hexDigest() == expected else {
        here.remove(partial)
        throw ClientError("MD5 mismatch: got \(hash.hexDigest()), expected \(expected)")
    }
    if here.entry(name) != nil && !settings.overwrite {
        throw ClientError("\(quoted(name)) appeared meanwhile; --overwrite replaces it")
    }
    try here.rename(partial, to: name)
    trace("get \(quoted(name)): \(line), MD5 \(expected) matched")
}
