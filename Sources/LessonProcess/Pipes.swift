#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A pipe whose two ends are closed in the child after `posix_spawn` copies them.
func makePipe() throws -> (read: Int32, write: Int32) {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else {
        throw LessonProcessError.couldNotStart("pipe", String(cString: strerror(errno)))
    }
    return (ends[0], ends[1])
}

#if canImport(Glibc)
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later). Swift's
    /// Glibc module does not import it, so it is looked up by name.
    let closeFromInChild:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard
                let symbol = dlsym(
                    UnsafeMutableRawPointer(bitPattern: 0),
                    "posix_spawn_file_actions_addclosefrom_np")
            else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) ->
                    Int32).self)
        }()
#endif
