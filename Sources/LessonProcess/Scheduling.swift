#if canImport(Glibc)
    import Glibc
    import GlibcExtras
#else
    import Darwin
#endif

/// Where and how eagerly the kernel runs a lesson process.
///
/// The lessons print a line after each call returns. On a machine with two
/// cores, the server's `recv` can return and print before the client, whose
/// `send` woke it, has printed its own line: about one run in five shows the
/// effect before its cause. Running both ends on one CPU, the server at idle
/// priority, rules that out: an idle-priority process runs only while no
/// ordinary one is ready, so the client keeps the CPU until it waits or exits,
/// and everything it did is printed before the server reacts.
public enum Scheduling: Sendable {
    /// However the kernel likes: any CPU, ordinary priority.
    case asUsual
    /// On one CPU only; `idle` runs the process only when that CPU has nothing else to do.
    /// Linux only; elsewhere the same as `asUsual`.
    case pinned(cpu: Int32, idle: Bool)

    /// A CPU this process may run on, for pinning a pair of lesson processes together.
    public static func someAllowedCPU() -> Int32 {
        #if canImport(Glibc)
            var allowed = cpu_set_t()
            if let getAffinity = GlibcExtras.getAffinity,
                getAffinity(0, MemoryLayout<cpu_set_t>.size, &allowed) == 0
            {
                return firstCPU(in: allowed) ?? 0
            }
        #endif
        return 0
    }
}

#if canImport(Glibc)
    /// Runs `body` with the calling thread allowed only on `cpu`, then restores
    /// its CPUs. A child started inside `body` inherits the one CPU; changing
    /// the child afterwards would race with it starting threads of its own.
    ///
    /// The corresponding C function is `sched_setaffinity(2)`.
    func withThreadPinned<Result>(to cpu: Int32, _ body: () throws -> Result) rethrows -> Result {
        guard let getAffinity = GlibcExtras.getAffinity, let setAffinity = GlibcExtras.setAffinity
        else {
            return try body()
        }
        let size = MemoryLayout<cpu_set_t>.size
        var saved = cpu_set_t()
        guard getAffinity(0, size, &saved) == 0 else { return try body() }
        var single = cpu_set_t()
        withUnsafeMutableBytes(of: &single) { bits in
            bits[Int(cpu) / 8] |= UInt8(1 << (Int(cpu) % 8))
        }
        _ = setAffinity(0, size, &single)
        defer { _ = setAffinity(0, size, &saved) }
        return try body()
    }

    /// `SCHED_IDLE` from `<sched.h>`; Swift's Glibc module leaves it out.
    let idleSchedulingPolicy: Int32 = 5

    private func firstCPU(in set: cpu_set_t) -> Int32? {
        withUnsafeBytes(of: set) { bits in
            for index in 0..<(bits.count * 8) where bits[index / 8] & UInt8(1 << (index % 8)) != 0 {
                return Int32(index)
            }
            return nil
        }
    }
#endif
