import NetUtil

/// What `lesson09-client demo` does, for the workbook runner: a put, the
/// same put refused, a put cut part-way and then resumed, a list, a get.
/// It works in scratch directories of its own and removes them at the end.
func demo(options: Options) throws {
    let source = try Directory(path: try makeScratchDirectory())
    let downloads = try Directory(path: try makeScratchDirectory())
    defer {
        source.removeFilesAndSelf()
        downloads.removeFilesAndSelf()
    }
    // 1 MiB of a repeating pattern, written once under two names.
    let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) }
    for name in ["demo.bin", "cut.bin"] {
        try bytes.withUnsafeBytes { try source.createNew(name).writeAll($0) }
    }
    var settings = Settings(
        overwrite: false, resume: false, maximumSize: 1 << 30, timeout: 10, stopAfter: Int.max,
        directory: downloads.path)
    trace("demo 1: put demo.bin")
    try upload(path: source.path + "/demo.bin", options: options, settings: settings)
    trace("demo 2: put demo.bin again, without --overwrite")
    do {
        try upload(path: source.path + "/demo.bin", options: options, settings: settings)
    } catch {
        trace("\(error)")
    }
    trace("demo 3: put cut.bin, cut after 300000 bytes")
    settings.stopAfter = 300_000
    do {
        try upload(path: source.path + "/cut.bin", options: options, settings: settings)
    } catch let cut as TransferCut {
        trace("\(cut)")
    }
    trace("demo 4: list")
    try run(["list"], options: options, settings: settings)
    trace("demo 5: put cut.bin --resume")
    settings.stopAfter = Int.max
    settings.resume = true
    try upload(path: source.path + "/cut.bin", options: options, settings: settings)
    trace("demo 6: get demo.bin")
    try download(name: "demo.bin", options: options, settings: settings)
}

/// A new directory under /tmp for the demo's own files.
func makeScratchDirectory() throws -> String {
    var template = Array("/tmp/lesson09-demo-XXXXXX".utf8CString)
    guard mkdtemp(&template) != nil else {
        throw FileError.failed(call: "mkdtemp", name: "/tmp/lesson09-demo-XXXXXX", errno: errno)
    }
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
