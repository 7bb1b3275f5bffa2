import NetUtil

/// get: the MD5 of the whole file first (it goes in the header), then the
/// file from `offset` on, through one fixed buffer.
func sendDownload(_ request: FrameHeader, on connection: Socket, root: Directory) throws {
    let name = try requestedName(request)
    let file = try openServed(name, in: root)
    let size = try file.size()
    let offset = request.integer("offset") ?? 0
    guard (0...size).contains(offset) else {
        throw Refusal("offset \(offset) is outside \(quoted(name)) (\(byteCount(size)))")
    }
    let buffer = TransferBuffer()
    var hash = MD5()
    try buffer.hash(file, count: size, into: &hash)
    try file.seek(to: offset)
    let header = FrameHeader(
        fields: [
            "status": .string("ok"), "filename": .string(name), "MD5": .string(hash.hexDigest()),
            "size": .integer(size), "offset": .integer(offset),
        ],
        totalSize: size - offset)
    try connection.sendHeader(header)
    try buffer.sendBody(from: file, count: size - offset, to: connection)
    trace("sent \(quoted(name)): \(byteCount(size - offset)) from offset \(offset)")
}

/// list: one name per line, regular files only, partials never.
func sendList(on connection: Socket, root: Directory) throws {
    let body = Array(try root.regularFileNames().map { $0 + "\n" }.joined().utf8)
    try connection.sendFrame(Frame(fields: ["status": .string("ok")], body: body))
}

/// partial: how many bytes of a cut upload are kept, so the client can resume.
func sendPartialSize(_ request: FrameHeader, on connection: Socket, root: Directory) throws {
    let name = try requestedName(request)
    let kept = root.entry(partialName(of: name))?.size ?? 0
    try answerOK(connection, ["filename": .string(name), "partial_size": .integer(kept)])
}
