// The glibc functions that Swift's Glibc module leaves out, in one place.
//
// glibc declares them only for programs that define `_GNU_SOURCE`, and
// Swift's Glibc module does not, so they cannot be called by name. They are
// looked up by name instead, once, when first used: `dlsym` finds a function
// in the C library already loaded into the process. Each is nil where this C
// library lacks it (closefrom's spawn action came with glibc 2.34), and the
// caller then does without. On macOS none of this exists; callers have a
// Darwin branch of their own.
#if canImport(Glibc)
    import Glibc

    public enum GlibcExtras {
        /// `accept4(2)`: `accept` that sets flags such as `SOCK_CLOEXEC` on the
        /// new socket in the same call.
        public static let accept4 = lookUp(
            "accept4",
            as: (@convention(c) (
                Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32
            ) -> Int32).self)

        /// `pipe2(2)`: `pipe` that sets flags such as `O_CLOEXEC` on both ends in the same call.
        public static let pipe2 = lookUp(
            "pipe2", as: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)

        /// `posix_spawn_file_actions_addclosefrom_np(3)`: in the child, close
        /// every descriptor from a given number up.
        public static let addCloseFrom = lookUp(
            "posix_spawn_file_actions_addclosefrom_np",
            as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)
                .self)

        /// `openpty(3)`: a pseudo-terminal's master and slave ends, for the
        /// tests that run a lesson as a person would, at a terminal.
        public static let openpty = lookUp(
            "openpty",
            as: (@convention(c) (
                UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>,
                UnsafeMutablePointer<CChar>?,
                UnsafeRawPointer?, UnsafeRawPointer?
            ) -> Int32).self)

        /// `sched_getaffinity(2)`: the CPUs a process may run on (0: this thread).
        public static let getAffinity = lookUp("sched_getaffinity", as: AffinityCall.self)

        /// `sched_setaffinity(2)`: restricts a process (0: this thread) to some CPUs.
        public static let setAffinity = lookUp("sched_setaffinity", as: AffinityCall.self)

        public typealias AffinityCall =
            @convention(c) (pid_t, Int, UnsafeMutablePointer<cpu_set_t>) -> Int32

        /// The function called `name` in the running process, as a `Function`.
        private static func lookUp<Function>(_ name: String, as: Function.Type) -> Function? {
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map {
                unsafeBitCast($0, to: Function.self)
            }
        }
    }
#endif
