import Foundation

/// The lines one run of a lesson printed, both sides in order, without timestamps.
/// The quiz reads its answers from here.
struct RunLines: Sendable {
    var lines: [String] = []

    /// The `occurrence`-th line (counting from 1) that starts with `prefix`.
    func line(_ prefix: String, _ occurrence: Int) -> String? {
        let matching = lines.filter { $0.hasPrefix(prefix) }
        return matching.count >= occurrence ? matching[occurrence - 1] : nil
    }

    /// The first line that starts with `prefix` and contains `text`.
    func line(_ prefix: String, containing text: String) -> String? {
        lines.first { $0.hasPrefix(prefix) && $0.contains(text) }
    }
}

extension String {
    /// What a traced recv returned, as the trace quotes it, without the quotes:
    /// `he` from `server: recv(2) -> "he" (2 bytes), 3 still queued`.
    var receivedBytes: String? {
        guard let arrow = range(of: "-> \"") else { return nil }
        var text = ""
        var escaped = false
        for character in self[arrow.upperBound...] {
            if character == "\"" && !escaped { return text }
            escaped = character == "\\" && !escaped
            text.append(character)
        }
        return nil
    }

    /// The number that ends just before `suffix`: `3` from `..., 3 still queued`.
    func number(before suffix: String) -> String? {
        guard let end = range(of: suffix)?.lowerBound else { return nil }
        let digits = self[..<end].reversed().prefix { $0.isNumber || $0 == "." }
        return digits.isEmpty ? nil : String(digits.reversed())
    }

    /// The number that starts just after `prefix`: `1.00` from `after blocking 1.00 s`.
    func number(after prefix: String) -> String? {
        guard let start = range(of: prefix)?.upperBound else { return nil }
        let digits = self[start...].prefix { $0.isNumber || $0 == "." }
        return digits.isEmpty ? nil : String(digits)
    }
}
