import Foundation
import LessonProcess
import NetUtil
import Testing

/// A lesson09-server serving a fresh temporary directory, with helpers to
/// run the real client against it and to speak the wire format directly,
/// as an independent client would. Everything is removed when it goes away.
final class FileServer {
    let root: URL
    /// A second fresh directory, where the client saves downloads.
    let downloads: URL
    let process: LessonProcess
    let port: UInt16
    let deadline = ContinuousClock.now + runDeadline

    init(_ arguments: [String] = []) throws {
        root = try makeTemporaryDirectory()
        downloads = try makeTemporaryDirectory()
        process = try LessonProcess(
            "lesson09-server", arguments: ["--port", "0", "--root", root.path] + arguments)
        let listening = try process.waitForLine(
            containing: "server: listening on ", before: deadline)
        port = try #require(listeningPort(listening))
    }

    deinit {
        process.stop()
        _ = try? process.waitForExit(before: .now + .seconds(5))
        try? FileManager.default.removeItem(at: root)
        try? FileManager.default.removeItem(at: downloads)
    }

    /// Runs lesson09-client to its end with `arguments`, saving downloads in `downloads`.
    func client(_ arguments: [String]) throws -> LessonProcess.Finished {
        try LessonProcess(
            "lesson09-client",
            arguments: ["--port", "\(port)", "--dir", downloads.path] + arguments
        ).finish(before: deadline)
    }

    /// Waits for the server to print a line containing `text`, and returns it.
    @discardableResult
    func waitForLine(containing text: String) throws -> String {
        try process.waitForLine(containing: text, before: deadline)
    }

    /// One request written straight from the wire format, on a connection of
    /// its own: a header, `body`, then the answer's header and body.
    func request(_ fields: [String: HeaderValue], body: [UInt8] = []) throws -> (
        header: FrameHeader, body: [UInt8]
    ) {
        let connection = try connectTCP(host: "127.0.0.1", port: port).connection
        try connection.setReceiveTimeout(seconds: 5)
        try connection.sendHeader(FrameHeader(fields: fields, totalSize: body.count))
        try connection.sendAll(body)
        let answer = try #require(try connection.receiveHeader())
        let answerBody = answer.totalSize > 0 ? try connection.receiveExactly(answer.totalSize) : []
        return (answer, answerBody ?? [])
    }

    /// The error text of a refused request; fails the test if it was not refused.
    func refusal(_ fields: [String: HeaderValue], body: [UInt8] = []) throws -> String {
        let answer = try request(fields, body: body).header
        #expect(answer.string("status") == "error", "\(fields)")
        return answer.string("error") ?? ""
    }

    /// The names `list` shows.
    func list() throws -> [String] {
        let answer = try request(["op": .string("list")])
        #expect(answer.header.string("status") == "ok")
        return String(decoding: answer.body, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Every entry in the root, partial files included, sorted.
    func rootEntries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    }

    /// Writes `bytes` to a new file called `name` in a fresh directory; returns its path.
    func localFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let folder = downloads.appendingPathComponent("upload-source")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }
}

/// A new empty directory under the system's temporary folder.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("lesson09-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// `count` bytes that differ from one test to the next and cross every byte value.
/// Written through a raw buffer: a `map` over millions of bytes takes seconds
/// in a debug build, and the tests share two cores.
func testBytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            buffer[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        initialized = count
    }
}

/// The contents of the file at `url`, or nil if there is none.
func contents(_ url: URL) -> [UInt8]? {
    (try? Data(contentsOf: url)).map { [UInt8]($0) }
}

/// True when the file at `url` holds exactly `bytes`. A Bool, so that a
/// failure prints one short line, not a million numbers; compared with
/// `memcmp`, which is fast in a debug build too.
func hasContents(_ url: URL, _ bytes: some Collection<UInt8>) -> Bool {
    guard let stored = contents(url), stored.count == bytes.count else { return false }
    guard !stored.isEmpty else { return true }
    return stored.withUnsafeBytes { storedBytes in
        Array(bytes).withUnsafeBytes { memcmp(storedBytes.baseAddress!, $0.baseAddress!, $0.count) }
    } == 0
}
