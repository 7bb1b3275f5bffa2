/// The rules a file name chosen by the other side must pass before it is
/// given to any file system call. Each broken rule is its own case, so the
/// refusal can say exactly which one.
///
/// A name is one entry directly inside the served directory: never a path.
/// The rules keep it from naming anything else (`..`, `a/b`, `/etc/passwd`),
/// from being something other systems read as a path (`a\b` on Windows),
/// from ending early in C (NUL) and from hiding in a terminal (control
/// characters). Symbolic links are refused where the file is opened
/// (`O_NOFOLLOW`), since no look at a name alone can see one.
public enum NameRule: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLong(bytes: Int)
    case dotOrDotDot
    case slash
    case backslash
    case nul
    case controlCharacter(UInt32)

    /// The longest name most file systems take (`NAME_MAX`), in bytes of UTF-8.
    public static let maximumBytes = 255

    public var description: String {
        switch self {
        case .empty: "name rule: the name is empty"
        case .tooLong(let bytes):
            "name rule: the name is \(bytes) bytes; at most \(Self.maximumBytes) are allowed"
        case .dotOrDotDot: "name rule: \".\" and \"..\" name directories, not files"
        case .slash: "name rule: \"/\" is not allowed (a name is not a path)"
        case .backslash: "name rule: \"\\\" is not allowed (a path separator on Windows)"
        case .nul: "name rule: NUL is not allowed (C would end the name there)"
        case .controlCharacter(let value):
            "name rule: control character U+\(hex4(value)) is not allowed"
        }
    }
}

/// Throws the first rule `name` breaks; returns if it breaks none.
public func checkFileName(_ name: String) throws(NameRule) {
    let byteCount = name.utf8.count
    guard byteCount > 0 else { throw .empty }
    guard byteCount <= NameRule.maximumBytes else { throw .tooLong(bytes: byteCount) }
    guard name != "." && name != ".." else { throw .dotOrDotDot }
    for scalar in name.unicodeScalars {
        switch scalar.value {
        case 0x2F: throw .slash
        case 0x5C: throw .backslash
        case 0: throw .nul
        // C0 controls, DEL and the C1 controls.
        case 0x01..<0x20, 0x7F, 0x80..<0xA0: throw .controlCharacter(scalar.value)
        default: continue
        }
    }
}

/// Four uppercase hex digits: `001B`.
private func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
