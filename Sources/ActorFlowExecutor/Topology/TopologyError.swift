/// Why a ``Topology`` could not be built; each case names the file or value at fault.
///
///     do { _ = try Topology(sysfsDirectory: "/tmp/fake-node") }
///     catch { print(error) }   // /tmp/fake-node/node1/cpulist: malformed CPU list "0-"
public enum TopologyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file or directory could not be read.
    case unreadable(path: String, errno: Int32)
    /// The directory holds no `node<N>` subdirectory with CPUs.
    case noNodes(directory: String)
    /// A `cpulist` file is not in the kernel's CPU-list notation.
    case malformedCPUList(path: String, text: String)
    /// A `distance` file does not hold one integer per node.
    case malformedDistances(path: String, text: String, expectedCount: Int)
    /// A description given in code is inconsistent (duplicate node ids, a CPU on two nodes, a distance
    /// matrix of the wrong size or with non-positive entries).
    case invalidDescription(reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let errno):
            return "\(path): cannot be read (errno \(errno))"
        case .noNodes(let directory):
            return "\(directory): no node<N> directory with CPUs"
        case .malformedCPUList(let path, let text):
            return "\(path): malformed CPU list \"\(text)\""
        case .malformedDistances(let path, let text, let expectedCount):
            return "\(path): expected \(expectedCount) distances, found \"\(text)\""
        case .invalidDescription(let reason):
            return "invalid topology: \(reason)"
        }
    }
}
