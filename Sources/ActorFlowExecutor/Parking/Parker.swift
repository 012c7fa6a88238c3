/// A one-token parking spot for one thread: ``park()`` blocks until ``unpark()`` has been called (once per
/// park; an unpark before the park is remembered).
///
/// States of the word: `0` empty, `1` a token is waiting, `2` the owner is asleep in the kernel. `unpark`
/// only pays for a system call when the owner is really asleep.
final class Parker: Sendable {
    private static let empty: UInt32 = 0
    private static let notified: UInt32 = 1
    private static let sleeping: UInt32 = 2

    private let word = FutexWord(Parker.empty)

    /// Blocks the calling thread (the parker's owner) until a token is available, then consumes it.
    /// Keep this name stable: profilers recognise idle workers by it.
    func park() {
        while true {
            if word.compareExchange(expected: Parker.notified, desired: Parker.empty) { return }
            _ = word.compareExchange(expected: Parker.empty, desired: Parker.sleeping)
            word.wait(whileEqualTo: Parker.sleeping)
        }
    }

    /// Makes a token available and wakes the owner if it sleeps.
    func unpark() {
        if word.exchange(Parker.notified) == Parker.sleeping {
            word.wake(count: 1)
        }
    }
}
