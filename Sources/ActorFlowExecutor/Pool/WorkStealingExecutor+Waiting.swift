extension WorkStealingExecutor {
    /// Blocks until `latch` opens. On one of this pool's workers (a session run from inside a kernel) the
    /// worker does not sit idle: it runs queued work — its own deque, injection queues, steals — until
    /// the latch opens, so a nested wait cannot deadlock a pool whose every worker is waiting.
    ///
    ///     let done = CompletionLatch(count: 1)
    ///     pool.submit([WorkItem(target: step, index: 0)])   // the step counts `done` down at its end
    ///     pool.waitHelping(for: done)                       // safe on and off the pool
    ///
    /// Off the pool it is `latch.wait()`.
    public func waitHelping(for latch: CompletionLatch) {
        guard let worker = Worker.current, worker.poolID == poolID else {
            latch.wait()
            return
        }
        let globalSink = GlobalQueueSink(worker: worker, queue: global, idle: idle)
        var local = WorkerContext(sink: worker, workerIndex: worker.index, numaNode: worker.numaNode)
        var global = WorkerContext(sink: globalSink, workerIndex: worker.index, numaNode: worker.numaNode)
        // The item that called us may have pushed work and not yet told sleepers.
        if worker.pushedDuringRun {
            worker.pushedDuringRun = false
            idle.notifyOne()
        }
        while !latch.isReleased {
            if let item = worker.deque.pop() {
                run(item, on: worker, in: &local)
            } else if let found = sweep(worker) {
                run(found, on: worker, local: &local, global: &global)
            } else {
                // Nothing visible: what the latch waits for runs elsewhere. Look again shortly, since work
                // may land in a queue only this worker would take.
                _ = latch.wait(timeout: .microseconds(50))
            }
        }
    }
}
