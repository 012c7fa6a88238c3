extension Topology {
    /// Reads a sysfs-shaped description: `node<N>/cpulist` (the kernel's CPU-list notation) and
    /// `node<N>/distance` (one distance per `node<M>` directory, in ascending `M`) under `sysfsDirectory`.
    ///
    /// Tests describe machines this one is not; `/sys/devices/system/node` is the real thing.
    ///
    ///     // /tmp/four/node0/cpulist "0-1", node0/distance "10 20 30 30", … node3/…
    ///     let four = try Topology(sysfsDirectory: "/tmp/four")
    ///     four.nodes.count   // 4
    ///
    /// Nodes whose `cpulist` is empty (memory-only nodes) are left out. The process's affinity mask is not
    /// applied: the directory describes a machine, not this process.
    ///
    /// - Throws: ``TopologyError`` naming the unreadable or malformed file.
    public init(sysfsDirectory: String) throws(TopologyError) {
        let directory = sysfsDirectory.hasSuffix("/") ? String(sysfsDirectory.dropLast()) : sysfsDirectory
        let ids = try FileReading.entries(ofDirectory: directory).compactMap { name -> Int? in
            guard name.hasPrefix("node") else { return nil }
            return Int(name.dropFirst(4))
        }.sorted()
        var nodes: [NUMANode] = []
        var rows: [[Int]] = []
        for id in ids {
            let cpuListPath = "\(directory)/node\(id)/cpulist"
            let cpuText = try FileReading.text(atPath: cpuListPath)
            guard let cpus = CPUList.parse(cpuText) else {
                throw .malformedCPUList(path: cpuListPath, text: cpuText.trimmingWhitespace)
            }
            let distancePath = "\(directory)/node\(id)/distance"
            let distanceText = try FileReading.text(atPath: distancePath)
            let row = distanceText.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            let fieldCount = distanceText.split(whereSeparator: \.isWhitespace).count
            guard row.count == ids.count, fieldCount == ids.count else {
                throw .malformedDistances(
                    path: distancePath, text: distanceText.trimmingWhitespace, expectedCount: ids.count)
            }
            if !cpus.isEmpty {
                nodes.append(NUMANode(id: id, cpus: cpus))
                rows.append(row)
            }
        }
        guard !nodes.isEmpty else { throw .noNodes(directory: directory) }
        let kept = nodes.map { node in ids.firstIndex(of: node.id)! }
        let distances = rows.map { row in kept.map { row[$0] } }
        try self.init(nodes: nodes, distances: distances, source: .sysfs(directory: directory))
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
