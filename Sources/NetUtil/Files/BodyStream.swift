import Dispatch

/// One fixed buffer that a whole file passes through, a piece at a time,
/// between a socket and the disk: memory stays the same for 1 KiB or 1 TiB.
///
/// Allocated once, raw, and reused for every piece: no per-piece allocation,
/// no array bounds checks or copy-on-write in the loop that moves gigabytes.
public final class TransferBuffer {
    public let bytes: UnsafeMutableRawBufferPointer

    public init(size: Int = 256 << 10) {
        bytes = .allocate(byteCount: size, alignment: 64)
        // Bound to UInt8, as an array's bytes are: MD5 reads them as bytes.
        bytes.bindMemory(to: UInt8.self)
    }

    deinit { bytes.deallocate() }

    /// Feeds `count` bytes of `file`, from where it is now, to `hash`.
    public func hash(_ file: OpenFile, count: Int, into hash: inout MD5) throws(FileError) {
        var left = count
        while left > 0 {
            let got = try file.read(into: .init(rebasing: bytes[..<min(bytes.count, left)]))
            guard got > 0 else { throw .failed(call: "read", name: file.name, errno: EIO) }
            hash.update(UnsafeRawBufferPointer(rebasing: bytes[..<got]))
            left -= got
        }
    }

    /// Receives a body of exactly `count` bytes into `file`, feeding every
    /// piece to `hash` as it passes, and calls `progress` with the bytes so far.
    ///
    /// Each `recv` asks for at most what the body still lacks, so not one byte
    /// of whatever follows the body is taken. Throws `SocketError.closedPartWay`
    /// if the peer closes early, `.timedOut` if it goes quiet, and a
    /// `FileError` if the disk refuses a write (ENOSPC: full).
    ///
    /// With a `pieceTime`, each buffer's worth of body (256 KiB) must arrive
    /// within that many seconds, or `SocketError.tooSlow` is thrown: a
    /// trickling client is cut off, while an honest upload of any size only
    /// has to keep up 256 KiB per `pieceTime` (25.6 KiB/s for 10 s).
    ///
    /// Hashing is the slowest step, so it runs on a second thread: while one
    /// half of the buffer is hashed, this thread writes it and receives the
    /// next piece into the other half. The pieces are hashed in order.
    public func receiveBody(
        _ count: Int, from socket: Socket, to file: OpenFile, hash: inout MD5,
        pieceTime: Double? = nil, progress: (Int) -> Void = { _ in }
    ) throws {
        let hasher = HashBeside(hash)
        // Whatever happens, the other thread is done with the buffer before it is reused or freed.
        defer { hash = hasher.finish() }
        let half = bytes.count / 2
        var received = 0
        var side = 0
        let due = "\(bytes.count >> 10) KiB of body"
        var deadline = pieceTime.map { Deadline(due, seconds: $0) }
        var nextPiece = bytes.count  // the deadline is renewed once this many bytes are in
        while received < count {
            let space = UnsafeMutableRawBufferPointer(
                rebasing: bytes[side * half..<side * half + min(half, count - received)])
            let got = try socket.receive(into: space, by: deadline)
            if got == 0 { throw SocketError.closedPartWay(expected: count, received: received) }
            let piece = UnsafeRawBufferPointer(rebasing: space[..<got])
            hasher.add(piece)
            try file.writeAll(piece)
            received += got
            progress(received)
            side = 1 - side
            if received >= nextPiece, let pieceTime {
                deadline = Deadline(due, seconds: pieceTime)
                nextPiece = received + bytes.count
            }
        }
    }

    /// Sends `count` bytes of `file`, from where it is now, as a body, and
    /// calls `progress` with the bytes so far. Between pieces it checks for
    /// an early answer (a refusal) and stops sending if one has come:
    /// returns the bytes sent, `count` when all went.
    @discardableResult
    public func sendBody(
        from file: OpenFile, count: Int, to socket: Socket, progress: (Int) -> Void = { _ in }
    ) throws -> Int {
        var sent = 0
        while sent < count {
            if socket.hasInput() { return sent }
            let got = try file.read(into: .init(rebasing: bytes[..<min(bytes.count, count - sent)]))
            guard got > 0 else { throw FileError.failed(call: "read", name: file.name, errno: EIO) }
            try socket.sendAll(UnsafeRawBufferPointer(rebasing: bytes[..<got]))
            sent += got
            progress(sent)
        }
        return sent
    }
}

/// MD5 fed on a thread of its own, one piece after another, while the caller
/// goes on. `add` waits for the piece before to be done, so the pieces are
/// hashed in order and at most one is in use by the other thread: the one
/// just added, which the caller must not overwrite until the next `add` or
/// `finish` returns.
private final class HashBeside: @unchecked Sendable {
    // @unchecked: `hash` is touched by one thread at a time; `group.wait()` hands it over.
    private var hash: MD5
    private let queue = DispatchQueue(label: "md5")
    private let group = DispatchGroup()

    init(_ hash: MD5) { self.hash = hash }

    func add(_ piece: UnsafeRawBufferPointer) {
        group.wait()
        nonisolated(unsafe) let piece = piece
        queue.async(group: group) { self.hash.update(piece) }
    }

    func finish() -> MD5 {
        group.wait()
        return hash
    }
}
