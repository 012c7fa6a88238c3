/// Where an op runs, in TensorFlow's device syntax: `/job:worker/replica:0/task:1/device:CPU:0`, every part
/// optional (`/job:worker/task:1`, `/task:2`, `/device:CPU:0`, the legacy `/cpu:0`).
///
/// Ops are placed with ``Graph/withDevice(_:_:)``; ``Operation/device`` holds the canonical string. ActorFlow
/// runs ops on CPUs, one device per task: the parts that matter are the job and the task, which name the process
/// that runs the op (with `ActorFlowMPI`, task N is MPI rank N).
///
///     let spec = try DeviceSpec(parsing: "/job:worker/task:1/cpu:0")
///     print(spec)                         // /job:worker/task:1/device:CPU:0
///     print(spec.task ?? 0)               // 1
public struct DeviceSpec: Sendable, Hashable, CustomStringConvertible {
    /// The job's name (`worker`), or `nil` for the client's job.
    public var job: String?
    /// The replica, or `nil` for 0.
    public var replica: Int?
    /// The task within the job, or `nil` for the client's task.
    public var task: Int?
    /// The device type, always `CPU` when set (ActorFlow has no other devices).
    public var deviceType: String?
    /// The device's index within its task, `0` when set (one CPU device per task).
    public var deviceIndex: Int?

    /// A specification with the given parts; `nil` parts are unspecified.
    public init(job: String? = nil, replica: Int? = nil, task: Int? = nil, deviceType: String? = nil,
                deviceIndex: Int? = nil) {
        self.job = job
        self.replica = replica
        self.task = task
        self.deviceType = deviceType
        self.deviceIndex = deviceIndex
    }

    /// Parses TensorFlow's device syntax; `""` is the empty specification (the client's task).
    ///
    /// - Throws: ``DeviceSpecError`` naming the string and the part that is wrong: an unknown part, a part
    ///   given twice, a negative or non-numeric index, a device other than `CPU:0`.
    public init(parsing string: String) throws(DeviceSpecError) {
        self.init()
        func fail(_ reason: String) -> DeviceSpecError { DeviceSpecError(device: string, reason: reason) }
        var parts = string.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "" { parts.removeFirst() }
        if string.isEmpty { return }
        guard string.hasPrefix("/") else { throw fail("a device specification starts with '/'") }
        func index(_ text: Substring, _ what: String) throws(DeviceSpecError) -> Int {
            guard let value = Int(text), value >= 0 else { throw fail("\(what) must be a non-negative integer") }
            return value
        }
        for part in parts {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            switch (fields.first.map { $0.lowercased() }, fields.count) {
            case ("job", 2):
                guard job == nil else { throw fail("the job is given twice") }
                let name = fields[1]
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
                else { throw fail("'\(name)' is not a job name") }
                job = String(name)
            case ("replica", 2):
                guard replica == nil else { throw fail("the replica is given twice") }
                replica = try index(fields[1], "the replica")
            case ("task", 2):
                guard task == nil else { throw fail("the task is given twice") }
                task = try index(fields[1], "the task")
            case ("device", 3), ("cpu", 2), ("gpu", 2):
                guard deviceType == nil else { throw fail("the device is given twice") }
                let type = fields.count == 3 ? fields[1].uppercased() : fields[0].uppercased()
                guard type == "CPU" else { throw fail("device type \(type) is not available (ActorFlow runs ops on CPUs)") }
                let n = try index(fields[fields.count - 1], "the device index")
                guard n == 0 else { throw fail("each task has one CPU device, CPU:0, not CPU:\(n)") }
                deviceType = type
                deviceIndex = n
            default:
                throw fail("'\(part)' is not one of job:NAME, replica:N, task:N, device:CPU:0")
            }
        }
    }

    /// This specification with the parts `inner` sets replaced by `inner`'s: how nested
    /// ``Graph/withDevice(_:_:)`` blocks combine, as TensorFlow merges device scopes.
    ///
    ///     DeviceSpec(job: "worker", task: 1).merged(with: DeviceSpec(task: 2))   // /job:worker/task:2
    public func merged(with inner: DeviceSpec) -> DeviceSpec {
        DeviceSpec(
            job: inner.job ?? job, replica: inner.replica ?? replica, task: inner.task ?? task,
            deviceType: inner.deviceType ?? deviceType, deviceIndex: inner.deviceIndex ?? deviceIndex)
    }

    /// Whether no part is set.
    public var isEmpty: Bool { self == DeviceSpec() }

    /// The canonical string: the parts that are set, in TensorFlow's order (`""` when none is).
    public var description: String {
        var out = ""
        if let job { out += "/job:\(job)" }
        if let replica { out += "/replica:\(replica)" }
        if let task { out += "/task:\(task)" }
        if let deviceType { out += "/device:\(deviceType):\(deviceIndex ?? 0)" }
        return out
    }

    /// The full name of the device this specification resolves to, with the client's job and task filling
    /// what is unset: `/job:worker/replica:0/task:1/device:CPU:0`.
    ///
    ///     DeviceSpec(task: 1).fullName(clientJob: "localhost", clientTask: 0)
    ///     // "/job:localhost/replica:0/task:1/device:CPU:0"
    public func fullName(clientJob: String, clientTask: Int) -> String {
        "/job:\(job ?? clientJob)/replica:\(replica ?? 0)/task:\(task ?? clientTask)/device:CPU:0"
    }
}

/// A device string that ``DeviceSpec/init(parsing:)`` cannot read.
///
///     do { _ = try DeviceSpec(parsing: "/gpu:0") } catch { print(error) }
///     // invalid device '/gpu:0': device type GPU is not available (ActorFlow runs ops on CPUs)
public struct DeviceSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The string as given.
    public let device: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "invalid device '\(device)': \(reason)" }
}
