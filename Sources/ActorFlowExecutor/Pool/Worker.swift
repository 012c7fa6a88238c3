import Synchronization

/// One pool thread's state: its deque, parking spot, counters and search order.
///
/// `push` is the ``WorkSink`` behind the ``WorkerContext`` of items this worker runs, so work an item makes
/// ready lands in this worker's deque, where idle workers can steal it.
final class Worker: WorkSink, @unchecked Sendable {
    /// Index in the pool.
    let index: Int
    /// NUMA node id.
    let numaNode: Int
    /// Position of that node in the pool's topology.
    let nodePosition: Int
    /// The CPU to pin to (`nil`: the CPU is outside this process's cpuset, so the worker runs unpinned).
    let cpu: Int?
    /// The owning pool's identity (a nested `submit` checks it).
    let poolID: Int
    /// `af-w<index>-n<node>`.
    let name: String
    let deque = WorkStealingDeque()
    let parker: Parker
    let counters = WorkerCounters()
    /// The NUMA-aware search order (``VictimOrder``).
    let searchOrder: [VictimSource]
    /// Whether pinning succeeded (set by the worker's thread when it starts).
    let isPinned = Atomic<Bool>(false)
    private let idle: IdleWorkers

    /// Whether the running item pushed anything (then the worker checks for sleepers after it).
    /// Owner thread only.
    var pushedDuringRun = false
    /// Whether the worker's next search takes random victims: the victim order of the item it ran last (its
    /// step's policy), initially its pool's. Owner thread only.
    var searchesRandomly = false
    /// xorshift state for random victims. Owner thread only.
    private var randomState: UInt64

    init(
        index: Int, numaNode: Int, nodePosition: Int, cpu: Int?, poolID: Int, searchOrder: [VictimSource],
        parker: Parker, idle: IdleWorkers
    ) {
        self.parker = parker
        self.index = index
        self.numaNode = numaNode
        self.nodePosition = nodePosition
        self.cpu = cpu
        self.poolID = poolID
        self.name = "af-w\(index)-n\(numaNode)"
        self.searchOrder = searchOrder
        self.idle = idle
        randomState = 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1)
    }

    /// Pushes to this worker's deque. Owner thread only (items run by this worker).
    @inline(__always)
    func push(_ item: WorkItem) {
        // What an item makes ready belongs to its step: it keeps the step's victim order.
        deque.push(searchesRandomly ? item.withVictimOrder(random: true) : item)
        pushedDuringRun = true
        if idle.wantsNotification { idle.notifyOne() }
    }

    /// A pseudo-random number in `0..<bound`. Owner thread only.
    @inline(__always)
    func random(below bound: Int) -> Int {
        randomState ^= randomState << 13
        randomState ^= randomState >> 7
        randomState ^= randomState << 17
        return Int(randomState % UInt64(bound))
    }
}

@available(*, unavailable)
extension WorkerContext: Sendable {}

/// The ``WorkSink`` of items a worker takes from the `.globalQueue` policy's queue: what they make ready
/// goes back to that one shared queue (or, once it is closed at shutdown, to the worker's own deque).
final class GlobalQueueSink: WorkSink, @unchecked Sendable {
    // `worker` is only touched on the worker's own thread (the sink lives in that thread's run loop).
    private unowned let worker: Worker
    private let queue: InjectionQueue
    private let idle: IdleWorkers

    init(worker: Worker, queue: InjectionQueue, idle: IdleWorkers) {
        self.worker = worker
        self.queue = queue
        self.idle = idle
    }

    func push(_ item: WorkItem) {
        if !queue.push(item) { worker.deque.push(item) }
        worker.pushedDuringRun = true
        if idle.wantsNotification { idle.notifyOne() }
    }
}
