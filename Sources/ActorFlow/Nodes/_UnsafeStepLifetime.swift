import ActorFlowExecutor

extension StepRun {
    /// Opens `latch`, the step's completion latch, from the firing that finished the step's last node.
    ///
    /// Work items do not keep their step alive, and the thread waiting on the latch may release the step as
    /// soon as it opens; so the step holds one reference to itself across the count-down, and its caller
    /// touches nothing of the step afterwards. Releasing that reference may free the step on this thread.
    /// A step its caller abandoned (it returned at its deadline while a kernel ran) is finished here.
    @inline(never)
    func openLatchKeepingAlive(_ latch: CompletionLatch) {
        let keepAlive = unsafe Unmanaged.passRetained(self)
        latch.countDown()
        callerWake.countDown()
        callerLoop?.wake()
        finishIfAbandoned()
        unsafe keepAlive.release()
    }
}
