import Dispatch
import ExerciseKit
import NetUtil
import Synchronization

/// A pipe that stands in for the file: the code writes to `writeEnd`, and a
/// thread of the check's reads the other end, compares every byte with the
/// pattern the peer sent, and counts them, so no body is ever held whole.
///
/// With `cuttingWritesOf` set, the pipe holds one page (on Linux; elsewhere
/// 16 KiB counts as full) and the thread reads only once it is full: the code's `write` then waits inside the call with
/// part of its bytes taken, and the thread interrupts it with a signal, which
/// makes `write` return that part at once (see `InterruptibleThread`).
final class PipeSink: Sendable {
    let writeEnd: Int32
    private let readEnd: Socket
    private let closing = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let result = Mutex<(count: Int, firstDifference: Int?)>((0, nil))

    init(cuttingWritesOf writer: InterruptibleThread? = nil) throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw ExerciseError.failed(call: "pipe", errno: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // FIONREAD tells how many bytes wait in a pipe, as it does for a socket.
        readEnd = Socket(adopting: ends[0])
        writeEnd = ends[1]
        let capacity = writer == nil ? nil : Self.shrink(writeEnd)
        try startThread { [self] in drain(cuttingWritesOf: writer, capacity: capacity) }
    }

    /// Closes the write end and waits for the thread to read the rest. Returns
    /// how many bytes came through and where the first differed from the pattern.
    func finish() -> (count: Int, firstDifference: Int?) {
        closing.store(true, ordering: .releasing)
        close(writeEnd)
        _ = finished.wait(timeout: .now() + .seconds(2))
        return result.withLock { $0 }
    }

    private func drain(cuttingWritesOf writer: InterruptibleThread?, capacity: Int?) {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 64)
        defer { chunk.deallocate() }
        var count = 0
        var firstDifference: Int?
        while true {
            if let writer, let capacity, !closing.load(ordering: .acquiring) {
                // Wait for a full pipe: the code's write is then stuck part-way.
                guard (try? readEnd.queuedByteCount()) ?? 0 >= capacity else {
                    sleep(seconds: 0.001)
                    continue
                }
                writer.interrupt()
            }
            let got = read(readEnd.descriptor, chunk.baseAddress, capacity ?? chunk.count)
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            let piece = UnsafeRawBufferPointer(rebasing: chunk[..<got])
            if firstDifference == nil, let offset = bodyPattern.firstDifference(piece, at: count) {
                firstDifference = offset
            }
            count += got
        }
        result.withLock { $0 = (count, firstDifference) }
        finished.signal()
    }

    /// Makes the pipe hold one page (4096 bytes) where the system allows it,
    /// and returns what it holds.
    private static func shrink(_ pipe: Int32) -> Int {
        #if os(Linux)
            // F_SETPIPE_SZ, a Linux-only fcntl that Swift's Glibc module leaves out.
            let setPipeSize: Int32 = 1031
            let size = fcntl(pipe, setPipeSize, 4096)
            if size > 0 { return Int(size) }
        #endif
        return 16384  // macOS: a pipe starts with 16 KiB
    }
}

/// The body the large checks send: one block of 65536 bytes, `j % 251`,
/// over and over, so that the check never holds more than one block.
let bodyPattern = BodyPattern()

struct BodyPattern: @unchecked Sendable {
    // @unchecked: written once, at first use, and only read after.
    static let blockSize = 65536
    /// The block twice over, so that any piece of a block's length starts somewhere in it.
    private let twice: UnsafeMutableRawBufferPointer

    init() {
        twice = .allocate(byteCount: 2 * Self.blockSize, alignment: 64)
        for offset in 0..<twice.count { twice[offset] = UInt8((offset % Self.blockSize) % 251) }
    }

    /// One block, as the peer sends it.
    var block: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: twice[..<Self.blockSize])
    }

    /// Where `piece`, found at `offset` in the stream, first differs from the
    /// pattern; nil if it does not. Pieces are at most a block long.
    func firstDifference(_ piece: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        let expected = twice.baseAddress! + offset % Self.blockSize
        guard memcmp(piece.baseAddress!, expected, piece.count) != 0 else { return nil }
        for index in 0..<piece.count
        where piece[index] != expected.load(fromByteOffset: index, as: UInt8.self) {
            return offset + index
        }
        return nil
    }
}
