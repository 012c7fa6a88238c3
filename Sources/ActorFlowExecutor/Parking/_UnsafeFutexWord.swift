import CActorFlowLinux

/// A 32-bit word at a fixed address that threads can block on (a Linux futex).
///
/// Swift's `Atomic` has no address to hand the kernel, so the word is allocated here and every access goes
/// through the C helpers (`__atomic_*` builtins). This is the only pointer code of the parking layer.
@safe package final class FutexWord: @unchecked Sendable {
    // The pointee is only read and written through atomic C helpers and the futex syscall.
    private let word: UnsafeMutablePointer<UInt32>

    package init(_ value: UInt32 = 0) {
        unsafe word = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        unsafe word.initialize(to: value)
    }

    deinit {
        unsafe word.deallocate()
    }

    /// Acquire load.
    package var value: UInt32 { unsafe CActorFlowLinux_futex_word_load(word) }

    /// Release store.
    func store(_ value: UInt32) { unsafe CActorFlowLinux_futex_word_store(word, value) }

    /// Acquire-release exchange; returns the old value.
    func exchange(_ value: UInt32) -> UInt32 { unsafe CActorFlowLinux_futex_word_exchange(word, value) }

    /// Acquire-release compare-and-swap; returns whether the word held `expected`.
    package func compareExchange(expected: UInt32, desired: UInt32) -> Bool {
        unsafe CActorFlowLinux_futex_word_compare_exchange(word, expected, desired)
    }

    /// Blocks while the word equals `expected`, at most `timeoutNanoseconds` when given. May return early
    /// (signals, spurious wake-ups): callers re-check the word.
    ///
    /// The corresponding C call is `syscall(SYS_futex, …, FUTEX_WAIT_PRIVATE, …)`.
    package func wait(whileEqualTo expected: UInt32, timeoutNanoseconds: Int64 = -1) {
        _ = unsafe CActorFlowLinux_futex_wait(word, expected, timeoutNanoseconds)
    }

    /// Wakes up to `count` threads blocked in ``wait(whileEqualTo:timeoutNanoseconds:)``.
    ///
    /// The corresponding C call is `syscall(SYS_futex, …, FUTEX_WAKE_PRIVATE, …)`.
    package func wake(count: Int32) {
        _ = unsafe CActorFlowLinux_futex_wake(word, count)
    }
}
