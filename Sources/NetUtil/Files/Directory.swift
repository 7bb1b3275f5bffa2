/// A directory opened once, and every file in it reached relative to it.
///
/// The `*at` calls (`openat`, `renameat`, `unlinkat`, `fstatat`) take a
/// directory descriptor and a name: the name is looked up in that directory
/// and nowhere else, whatever happens to the path or the current directory
/// meanwhile. With names checked by `checkFileName` (no `/`, no `..`) and
/// `O_NOFOLLOW` (no symbolic link at the last step), a file opened here is
/// always a file in this directory.
public final class Directory: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Opens the directory at `path`.
    ///
    /// The corresponding C function is `open(2)` with `O_DIRECTORY`.
    public init(path: String) throws(FileError) {
        self.path = path
        descriptor = try fileCall("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    }

    deinit { _ = posixClose(descriptor) }

    /// Opens an existing regular file for reading. A symbolic link is refused
    /// (ELOOP), even one that points to a file inside the directory; so is
    /// anything that is not a regular file (a FIFO, a device, a directory).
    public func openForReading(_ name: String) throws(FileError) -> OpenFile {
        // O_NONBLOCK: opening a FIFO would otherwise wait for a writer.
        let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
        let file = try OpenFile(name: name, descriptor: openat(name, flags, 0))
        guard try file.isRegular() else { throw .notRegularFile(name) }
        return file
    }

    /// Creates `name`, which must not exist yet (`O_EXCL`): never a file
    /// someone else made, never through a link planted under that name.
    public func createNew(_ name: String) throws(FileError) -> OpenFile {
        try OpenFile(
            name: name,
            descriptor: openat(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644))
    }

    /// Opens an existing regular file to add to its end, for a resumed transfer.
    public func openForAppending(_ name: String) throws(FileError) -> OpenFile {
        let file = try OpenFile(
            name: name, descriptor: openat(name, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0))
        guard try file.isRegular() else { throw .notRegularFile(name) }
        return file
    }

    /// What `name` is, without following a link: nil if nothing has that name.
    ///
    /// The corresponding C function is `fstatat(2)` with `AT_SYMLINK_NOFOLLOW`.
    public func entry(_ name: String) -> (isRegular: Bool, size: Int)? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return ((info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size))
    }

    /// Gives `from` the name `to` in one step: anyone who opens `to` sees the
    /// old file or the new one, never a part of either. It replaces a file
    /// already called `to`; callers that must not replace check first.
    ///
    /// The corresponding C function is `renameat(2)`.
    public func rename(_ from: String, to: String) throws(FileError) {
        _ = try fileCall("renameat", to) { renameat(descriptor, from, descriptor, to) }
    }

    /// Gives the file `from` the name `to` as well, failing with EEXIST if
    /// `to` exists, in one step: unlike a check followed by `rename`, no file
    /// that appears in between can be replaced. Remove `from` afterwards.
    ///
    /// The corresponding C function is `linkat(2)`.
    public func linkWithoutReplacing(_ from: String, to: String) throws(FileError) {
        _ = try fileCall("linkat", to) { linkat(descriptor, from, descriptor, to, 0) }
    }

    /// Removes `name`; a name that is already gone is not an error.
    ///
    /// The corresponding C function is `unlinkat(2)`.
    public func remove(_ name: String) {
        _ = unlinkat(descriptor, name, 0)
    }

    /// The names of the regular files here that pass `checkFileName`, sorted:
    /// links, directories and the temporary files are left out.
    ///
    /// The corresponding C functions are `fdopendir(3)` and `readdir(3)`.
    public func regularFileNames() throws(FileError) -> [String] {
        // fdopendir takes over the descriptor it is given: give it a copy.
        let copy = try fileCall("dup", path) { fcntl(descriptor, F_DUPFD_CLOEXEC, 0) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            _ = posixClose(copy)
            throw .failed(call: "fdopendir", name: path, errno: code)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let item = readdir(stream) {
            let name = withUnsafeBytes(of: item.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard (try? checkFileName(name)) != nil, entry(name)?.isRegular == true else {
                continue
            }
            names.append(name)
        }
        return names.sorted()
    }

    private func openat(_ name: String, _ flags: Int32, _ mode: mode_t) throws(FileError) -> Int32 {
        try fileCall("openat", name) { NetUtil.openat(descriptor, name, flags, mode) }
    }
}

/// One open file, closed exactly once when it goes away.
public final class OpenFile {
    public let name: String
    let descriptor: Int32

    init(name: String, descriptor: Int32) {
        self.name = name
        self.descriptor = descriptor
    }

    /// Opens the file at `path` for reading: a path the user typed, not one from the network.
    public convenience init(readingPath path: String) throws(FileError) {
        self.init(
            name: path, descriptor: try fileCall("open", path) { open(path, O_RDONLY | O_CLOEXEC) })
        guard try isRegular() else { throw .notRegularFile(path) }
    }

    deinit { _ = posixClose(descriptor) }

    /// The file's size in bytes now.
    public func size() throws(FileError) -> Int {
        var info = stat()
        _ = try fileCall("fstat", name) { fstat(descriptor, &info) }
        return Int(info.st_size)
    }

    func isRegular() throws(FileError) -> Bool {
        var info = stat()
        _ = try fileCall("fstat", name) { fstat(descriptor, &info) }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Reads up to `buffer.count` bytes; 0 means the end of the file.
    ///
    /// The corresponding C function is `read(2)`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
        try fileCall("read", name) { NetUtil.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// Writes all of `buffer`, looping over short writes. A full disk fails
    /// here with ENOSPC (or EDQUOT, EFBIG), named in the error.
    ///
    /// The corresponding C function is `write(2)`.
    public func writeAll(_ buffer: UnsafeRawBufferPointer) throws(FileError) {
        var written = 0
        while written < buffer.count {
            written += try fileCall("write", name) {
                posixWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
        }
    }
}

/// A file system call that failed, or a file that is not what it must be.
public enum FileError: Error, Equatable, CustomStringConvertible {
    case failed(call: String, name: String, errno: Int32)
    case notRegularFile(String)

    /// The errno of a failed call, or nil.
    public var code: Int32? {
        if case .failed(_, _, let code) = self { code } else { nil }
    }

    /// True for the errnos that mean "no room left": a full disk, a quota, a size limit.
    public var isDiskFull: Bool {
        code == ENOSPC || code == EDQUOT || code == EFBIG
    }

    public var description: String {
        switch self {
        case .failed(let call, let name, let code):
            let names: [Int32: String] = [
                ENOSPC: "ENOSPC", EDQUOT: "EDQUOT", EFBIG: "EFBIG", ELOOP: "ELOOP",
                EEXIST: "EEXIST", ENOENT: "ENOENT", EISDIR: "EISDIR", ENOTDIR: "ENOTDIR",
                ENAMETOOLONG: "ENAMETOOLONG", EROFS: "EROFS",
            ]
            let symbol = names[code] ?? errnoName(code)
            return "\(call)(\(quoted(name))): \(String(cString: strerror(code))) (\(symbol))"
        case .notRegularFile(let name):
            return "\(quoted(name)) is not a regular file"
        }
    }
}

/// Runs a file system call, retrying it after EINTR, and turns -1 into a `FileError`.
func fileCall<Result: BinaryInteger>(
    _ call: String, _ name: String, _ body: () -> Result
) throws(FileError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw .failed(call: call, name: name, errno: errno)
    }
}

extension OpenFile {
    /// Moves the read or write position to `offset` bytes from the start.
    ///
    /// The corresponding C function is `lseek(2)`.
    public func seek(to offset: Int) throws(FileError) {
        _ = try fileCall("lseek", name) { lseek(descriptor, off_t(offset), SEEK_SET) }
    }
}

extension Directory {
    /// Removes every file directly inside (partials and links too, never
    /// what a link points to), then the directory itself if it is empty:
    /// for a scratch directory a program made for itself.
    ///
    /// The corresponding C functions are `unlinkat(2)` and `rmdir(2)`.
    public func removeFilesAndSelf() {
        guard let copy = Optional(fcntl(descriptor, F_DUPFD_CLOEXEC, 0)), copy >= 0,
            let stream = fdopendir(copy)
        else { return }
        // The copy shares the original's position, which an earlier listing left at the end.
        rewinddir(stream)
        while let item = readdir(stream) {
            let name = withUnsafeBytes(of: item.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { remove(name) }
        }
        closedir(stream)
        _ = rmdir(path)
    }
}
