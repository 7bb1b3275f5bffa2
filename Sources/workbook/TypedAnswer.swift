/// What a learner typed as an answer, read the ways a person writes it.
///
/// Bytes may be bare, in quotes, or in Python's `b'...'`; an empty result may be an
/// empty line, `""`, `''`, `b''`, `b""`, `empty` or `nothing`. A number may be digits or
/// words (`3`, `three`, `twenty-one`), with or without a unit (`5 bytes`, `1 s`).
/// Anything else is not that form at all, so it can never be taken for a right answer.
struct TypedAnswer {
    /// The answer without spaces around it.
    let text: String

    init(_ typed: String) {
        text = typed.trimmingSpaces
    }

    /// The bytes the answer names, spelled as the trace quotes them.
    var bytes: String {
        if ["", "empty", "nothing"].contains(text.lowercased()) { return "" }
        let withoutB = text.hasPrefix("b") ? String(text.dropFirst()) : text
        for quote in ["\"", "'"] where withoutB.count >= 2 {
            if withoutB.hasPrefix(quote) && withoutB.hasSuffix(quote) {
                return String(withoutB.dropFirst().dropLast())
            }
        }
        return text
    }

    /// The number the answer gives, or nil when it is not one number
    /// (`3 or 4`, `three hundred and x` and `-3` are not).
    var number: Double? {
        var words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        if words.count > 1, let last = words.last, units.contains(last) { words.removeLast() }
        guard let first = words.first else { return nil }
        if words.count == 1, let digits = Self.decimal(first) { return digits }
        // `1s`, `5bytes`: a unit written straight after the digits.
        if words.count == 1, let unit = units.first(where: { first.hasSuffix($0) }),
            let digits = Self.decimal(String(first.dropLast(unit.count)))
        {
            return digits
        }
        return wordNumber(words.flatMap { $0.split(separator: "-").map(String.init) })
    }

    /// Digits with at most one decimal point: `3`, `1.00`, `0.5`; not `1e3`, `+3` or `-3`.
    private static func decimal(_ text: String) -> Double? {
        let digitsAndPoints = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard digitsAndPoints, text.filter({ $0 == "." }).count <= 1 else { return nil }
        return Double(text)
    }
}

/// Units a number answer may carry. Longest first, so `5bytes` loses `bytes`, not `s`.
private let units = ["seconds", "second", "bytes", "byte", "secs", "sec", "s"]

private let ones = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
private let tens = [
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
]

/// 0 to 999 in words: `seven`, `twenty one`, `one hundred and twenty seven`.
private func wordNumber(_ words: [String]) -> Double? {
    var rest = words[...]
    var value = 0
    if rest.count >= 2, rest[rest.startIndex + 1] == "hundred" {
        guard let hundreds = ones.firstIndex(of: rest.first!), hundreds >= 1, hundreds <= 9 else {
            return nil
        }
        value = 100 * hundreds
        rest = rest.dropFirst(2)
        if rest.first == "and", rest.count > 1 { rest = rest.dropFirst() }
        if rest.isEmpty { return Double(value) }
    }
    if let first = rest.first, let ten = tens[first] {
        rest = rest.dropFirst()
        if rest.isEmpty { return Double(value + ten) }
        guard rest.count == 1, let one = ones.firstIndex(of: rest.first!), one >= 1, one <= 9
        else { return nil }
        return Double(value + ten + one)
    }
    guard rest.count == 1, let one = ones.firstIndex(of: rest.first!) else { return nil }
    // `one hundred zero` is not how anyone says 100.
    if value > 0 && one == 0 { return nil }
    return Double(value + one)
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
