/// Turns a byte stream back into frames, whatever pieces the bytes arrive in:
/// all at once, one byte at a time, or several frames in one chunk.
///
/// It is an explicit state machine. Each state knows exactly how many bytes
/// it still needs, and keeps them in one buffer of exactly that size:
///
///     waiting for length --4 bytes--> waiting for header --header length bytes-->
///     waiting for body --total_size bytes--> a frame; back to waiting for length
///
/// Every limit is checked the moment the number that could break it is
/// known, before a buffer of that size exists: the header length against
/// `maximumHeaderLength` as soon as its 4 bytes are in, `total_size` against
/// `maximumBodySize` as soon as the header is parsed. A peer that claims a
/// 4 GiB header or a 1 TiB body gets an error, not an allocation. Within the
/// limit, a part over 1 MiB is not allocated at its claimed size up front:
/// its buffer starts at 1 MiB and doubles as bytes arrive, so a peer that
/// claims 1 GiB and sends nothing costs 1 MiB, not 1 GiB.
public struct FrameDecoder: Sendable {
    public enum State: Sendable, Equatable {
        case waitingForLength
        case waitingForHeader(length: Int)
        case waitingForBody(FrameHeader)
    }

    public private(set) var state = State.waitingForLength
    public let maximumHeaderLength: Int
    public let maximumBodySize: Int
    /// The part being read, `partSize` bytes once complete; `filled` bytes are in.
    /// Its buffer grows towards `partSize` as bytes arrive (see `startPart`).
    private var part = [UInt8](repeating: 0, count: 4)
    private var partSize = 4
    private var filled = 0
    /// The 4-byte buffer of the length, kept here while other parts are read,
    /// so that a frame costs one allocation fewer (see `startPart`).
    private var lengthPart: [UInt8] = []
    /// Bytes received ahead of the current part: `ahead[aheadUsed..<aheadCount]`
    /// are not used yet; they may hold the rest of this frame and the start of
    /// the next. The buffer is kept from call to call. See `readAhead`.
    private var ahead: [UInt8] = []
    private var aheadCount = 0
    private var aheadUsed = 0

    public init(maximumBodySize: Int, maximumHeaderLength: Int = 65536) {
        self.maximumBodySize = maximumBodySize
        self.maximumHeaderLength = maximumHeaderLength
    }

    /// How many more bytes the current part needs. A reader that asks for at
    /// most this many never takes a byte that belongs to the next frame.
    public var bytesWanted: Int { partSize - filled }

    /// How many bytes the current part's buffer holds now; tests check that
    /// a large claimed body is not allocated before its bytes arrive.
    var partBufferSize: Int { part.count }

    /// True between frames, where the stream may end cleanly.
    public var isBetweenFrames: Bool {
        state == .waitingForLength && filled == 0 && aheadUsed == aheadCount
    }

    /// True while a body is being read, the one part worth receiving
    /// straight into its final buffer instead of reading ahead.
    public var isReadingBody: Bool {
        if case .waitingForBody = state { return true }
        return false
    }

    /// Lets `read` receive up to `maximum` bytes into a buffer of their own,
    /// ahead of the current part. One `recv` this way usually brings a small
    /// frame's length, header and body together, where reading each part
    /// separately takes three calls. Bytes past the current frame are kept,
    /// in order, for the next one: they never end up in this frame.
    /// Returns what `read` returned; call `takeReadAhead()` next.
    public mutating func readAhead(
        upTo maximum: Int, _ read: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        // One buffer, grown when a larger size is asked for and then reused:
        // allocating and clearing it for every call would cost more than the recv.
        if ahead.count < maximum { ahead = [UInt8](repeating: 0, count: maximum) }
        let count = ahead.withUnsafeMutableBytes { read(.init(rebasing: $0[..<maximum])) }
        aheadCount = max(0, count)
        aheadUsed = 0
        return count
    }

    /// Moves bytes read ahead into the current part, one part after another,
    /// until they run out or a frame is complete; returns that frame.
    public mutating func takeReadAhead() throws(FrameError) -> Frame? {
        let bytes = ahead  // shares the storage: no copy is made
        while aheadUsed < aheadCount {
            let start = aheadUsed
            let end = aheadCount
            aheadUsed += bytes.withUnsafeBytes { source in
                fill(upTo: end - start) { space in
                    space.copyMemory(from: .init(rebasing: source[start..<start + space.count]))
                    return space.count
                }
            }
            if let frame = try advance(following: bytes[aheadUsed..<aheadCount]) {
                return frame
            }
        }
        return nil
    }

    /// Lets `write` put the next bytes straight into the current part: it gets
    /// the part's empty space, at most `maximum` bytes, and returns how many
    /// it wrote there (a failed system call's -1 counts as none). Returns
    /// what `write` returned. Call `advance()` after each write.
    public mutating func fill(upTo maximum: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int)
        -> Int
    {
        let start = filled
        let end = start + min(maximum, bytesWanted)
        if part.count < end {
            // Doubling keeps the copies few: each byte is copied about once more
            // on average. Reserving first copies the bytes so far into the larger
            // buffer and frees the old one before any zero touches the new half,
            // so the old buffer and the whole new one are never in memory together.
            let grown = min(partSize, max(end, part.count * 2))
            part.reserveCapacity(grown)
            while part.count < grown {
                part += zeroBlock[..<min(zeroBlock.count, grown - part.count)]
            }
        }
        let written = part.withUnsafeMutableBytes { write(.init(rebasing: $0[start..<end])) }
        filled += max(0, written)
        return written
    }

    /// Moves to the next state if the current part is complete, checking it
    /// first. Returns the frame this completed, or nil if more bytes are needed.
    public mutating func advance() throws(FrameError) -> Frame? {
        guard bytesWanted == 0 else { return nil }
        switch state {
        case .waitingForLength:
            let length = part.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }  // big-endian
            guard length > 0 else { throw .emptyHeader }
            guard length <= maximumHeaderLength else {
                throw .headerTooLong(length: length, limit: maximumHeaderLength)
            }
            startPart(.waitingForHeader(length: Int(length)), size: Int(length))
        case .waitingForHeader:
            let header = try FrameHeader.parse(part, maximumBodySize: maximumBodySize)
            guard header.totalSize > 0 else { return finishFrame(header: header, body: []) }
            startPart(.waitingForBody(header), size: header.totalSize)
        case .waitingForBody(let header):
            return finishFrame(header: header, body: part)
        }
        return nil
    }

    /// Says the stream has ended: fine between frames, an error part-way through one.
    public func endOfInput() throws(FrameError) {
        switch state {
        case _ where isBetweenFrames: return
        case .waitingForLength: throw .endedPartWay(part: .length, received: filled, expected: 4)
        case .waitingForHeader(let length):
            throw .endedPartWay(part: .header, received: filled, expected: length)
        case .waitingForBody(let header):
            throw .endedPartWay(part: .body, received: filled, expected: header.totalSize)
        }
    }

    /// Decodes a chunk that is already in memory; returns every frame it completes.
    /// Bytes after the last complete frame are kept for the next call.
    public mutating func feed(_ chunk: [UInt8]) throws(FrameError) -> [Frame] {
        var frames: [Frame] = []
        var offset = 0
        while offset < chunk.count {
            offset += chunk.withUnsafeBytes { source in
                fill(upTo: source.count - offset) { space in
                    space.copyMemory(from: .init(rebasing: source[offset..<offset + space.count]))
                    return space.count
                }
            }
            if let frame = try advance(following: chunk[offset...]) { frames.append(frame) }
        }
        return frames
    }

    /// `advance()`, with the bytes that already arrived after the current
    /// part passed on in a `headerTooLong` error, so it can say what they look like.
    private mutating func advance(following: ArraySlice<UInt8>) throws(FrameError) -> Frame? {
        do {
            return try advance()
        } catch .headerTooLong(let length, let limit, _) {
            throw .headerTooLong(length: length, limit: limit, next: Array(following.prefix(16)))
        }
    }

    private mutating func startPart(_ next: State, size: Int) {
        if case .waitingForLength = state { lengthPart = part }  // no frame holds it: reused
        state = next
        if case .waitingForLength = next, lengthPart.count == 4 {
            (part, lengthPart) = (lengthPart, [])  // one reference only, so no copy on write
        } else {
            part = [UInt8](repeating: 0, count: min(size, 1 << 20))
        }
        partSize = size
        filled = 0
    }

    private mutating func finishFrame(header: FrameHeader, body: [UInt8]) -> Frame {
        startPart(.waitingForLength, size: 4)
        return Frame(header: header, body: body)
    }
}

/// Zeros to grow a part with, 64 KiB at a time: each append is one `memcpy`.
/// (Appending `repeatElement(0, count:)` instead goes byte by byte in a
/// debug build, about a quarter of a second per MiB.)
private let zeroBlock = [UInt8](repeating: 0, count: 64 << 10)
