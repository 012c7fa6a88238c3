/// The kernel's CPU-list notation (`0-3,8,10-11`), as in `node*/cpulist` and `Cpus_allowed_list`.
enum CPUList {
    /// Parses a CPU list; an empty or whitespace-only text is the empty list. Returns `nil` when malformed
    /// or when a CPU number reaches ``Topology/cpuLimit``.
    static func parse(_ text: String) -> [Int]? {
        let trimmed = text.filter { !$0.isWhitespace }
        if trimmed.isEmpty { return [] }
        var cpus: [Int] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            switch bounds.count {
            case 1:
                guard let cpu = Int(bounds[0]), cpu >= 0, cpu < Topology.cpuLimit else { return nil }
                cpus.append(cpu)
            case 2:
                guard let low = Int(bounds[0]), let high = Int(bounds[1]), low >= 0, low <= high,
                    high < Topology.cpuLimit
                else { return nil }
                cpus.append(contentsOf: low...high)
            default:
                return nil
            }
        }
        return Array(Set(cpus)).sorted()
    }

    /// Formats ascending CPUs in the kernel's notation: `[0, 1, 2, 5]` → `"0-2,5"`.
    static func format(_ cpus: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < cpus.count {
            var end = index
            while end + 1 < cpus.count, cpus[end + 1] == cpus[end] + 1 { end += 1 }
            parts.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
