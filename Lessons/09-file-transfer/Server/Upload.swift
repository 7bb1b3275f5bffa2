import NetUtil

/// put: the body goes to a partial file, hashed as it arrives, and takes its
/// final name only once every byte is in and the MD5 matches. Returns the
/// fields of the answer, sent once the name is free for the next upload.
func receiveUpload(_ request: FrameHeader, on connection: Socket, root: Directory, limits: Limits)
    throws -> [String: HeaderValue]
{
    let name = try requestedName(request)
    let offset = request.integer("offset") ?? 0
    guard offset >= 0 else { throw Refusal("offset must be 0 or more") }
    // Both numbers come from the client: their sum may not fit in an Int.
    let (size, overflow) = offset.addingReportingOverflow(request.totalSize)
    guard !overflow, size <= limits.maximumSize else {
        let claimed = overflow ? "offset + total_size" : "\(size)"
        throw Refusal("size rule: \(claimed) bytes exceeds --max-size \(limits.maximumSize)")
    }
    guard let expected = request.string("MD5"), isMD5Hex(expected) else {
        throw Refusal("MD5 must be 32 lowercase hex digits")
    }
    let overwrite = request.integer("overwrite") == 1
    guard uploading.withLock({ $0.insert(name).inserted }) else {
        throw Refusal("busy: \(quoted(name)) is being uploaded by another client")
    }
    defer { _ = uploading.withLock { $0.remove(name) } }
    if let existing = root.entry(name) {
        guard existing.isRegular else {
            throw Refusal("refused \(quoted(name)): not a regular file")
        }
        guard overwrite else {
            throw Refusal("exists: \(quoted(name)) is already there; send \"overwrite\": 1")
        }
    }

    let partial = partialName(of: name)
    let buffer = TransferBuffer()
    var hash = MD5()
    let file: OpenFile
    if offset == 0 {
        root.remove(partial)
        file = try root.createNew(partial)
    } else {
        // Resume: the bytes kept from a cut upload count toward the MD5 too.
        let kept = root.entry(partial)?.size ?? 0
        guard kept == offset else {
            throw Refusal("resume: \(kept) bytes are kept for \(quoted(name)), not \(offset)")
        }
        try buffer.hash(try root.openForReading(partial), count: offset, into: &hash)
        file = try root.openForAppending(partial)
    }
    do {
        // Each 256 KiB must arrive within --timeout: slow enough for any real
        // upload, too fast for a client that keeps a connection with a byte at a time.
        try buffer.receiveBody(
            request.totalSize, from: connection, to: file, hash: &hash, pieceTime: limits.timeout)
    } catch let error as FileError {
        // A full disk or a failed write: nothing half-written stays behind.
        root.remove(partial)
        forgetPartial(of: name)
        let what = error.isDiskFull ? "disk full" : "write failed"
        throw Refusal("\(what): \(error); nothing was kept")
    } catch {
        // A cut connection or a timeout leaves the partial for a resume.
        keepPartial(of: name, in: root, limits: limits)
        throw error
    }
    // From here the partial is removed, or renamed to the file's name.
    defer { forgetPartial(of: name) }
    let actual = hash.hexDigest()
    guard actual == expected else {
        root.remove(partial)
        throw Refusal("MD5 mismatch: the body's MD5 is \(actual), the header said \(expected)")
    }
    if overwrite {
        try root.rename(partial, to: name)
    } else {
        // A file that appeared under this name since the check above is not replaced.
        let linked = Result { () throws(FileError) in
            try root.linkWithoutReplacing(partial, to: name)
        }
        if case .failure(let error) = linked {
            root.remove(partial)
            guard error.code == EEXIST else { throw error }
            throw Refusal("exists: \(quoted(name)) is already there; send \"overwrite\": 1")
        }
        root.remove(partial)
    }
    trace("stored \(quoted(name)): \(byteCount(size)), MD5 \(actual)")
    return ["filename": .string(name), "size": .integer(size), "MD5": .string(actual)]
}

/// True for 32 lowercase hex digits, the only spelling of an MD5 on the wire.
func isMD5Hex(_ text: String) -> Bool {
    text.utf8.count == 32
        && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
}
