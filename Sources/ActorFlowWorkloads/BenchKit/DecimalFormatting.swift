/// Fixed-point formatting for tables and plots, without Foundation's locale-dependent formatters.
enum DecimalFormatting {
    /// `value` rounded to `decimals` places: `fixed(3.14159, 2)` is `"3.14"`, `fixed(2, 1)` is `"2.0"`.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return String(value) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let fraction = String(units % Int64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A duration in nanoseconds with about three significant digits: `"21.4"`, `"215"`, `"2150"`.
    static func nanoseconds(_ value: Double) -> String {
        if abs(value) < 10 { return fixed(value, 2) }
        if abs(value) < 100 { return fixed(value, 1) }
        return fixed(value, 0)
    }
}
