// The few Linux facilities Swift cannot reach directly: glibc's GNU-only thread calls (affinity, names,
// sched_getcpu, gettid), the variadic futex syscall, atomics on a futex word Swift must share with the
// kernel, thread-local "current worker" pointers, libnuma's overridable warning hooks, and the file reader's
// non-blocking calls (preadv2 with RWF_NOWAIT, openat2 with RESOLVE_CACHED, epoll, eventfd); plus, portable and
// outside the Linux guard, the thread-local "current allocation scope" pointer of ActorFlowCore's memory tracking
// and the thread-local intra-op chunk tally of traced firings.
//
// Every symbol is prefixed CActorFlowLinux_. ActorFlowExecutor's Platform/ files are the only callers, except for
// the allocation-scope accessors, whose only caller is ActorFlowCore's Memory/_UnsafeAllocationScopeSlot.swift,
// and the intra-op tally accessors, whose only caller is ActorFlowCore's Parallel/_UnsafeIntraOpTallySlot.swift.
#ifndef C_ACTORFLOW_LINUX_H
#define C_ACTORFLOW_LINUX_H

#ifdef __linux__

#include <stddef.h>
#include <stdint.h>

// MARK: - Affinity and thread identity

/// Fills `cpus` with the CPUs the calling thread may run on (sched_getaffinity: it already reflects the
/// process's affinity mask and its cgroup cpuset). Returns how many there are (which may exceed
/// `capacity`; only the first `capacity` are written), or -errno.
int CActorFlowLinux_allowed_cpus(int *cpus, int capacity);

/// Pins the calling thread to one CPU (pthread_setaffinity_np). Returns 0 or an errno value.
int CActorFlowLinux_pin_current_thread(int cpu);

/// Names the calling thread (pthread_setname_np; at most 15 bytes are kept). Returns 0 or an errno value.
int CActorFlowLinux_set_current_thread_name(const char *name);

/// The CPU the calling thread is running on (sched_getcpu), or -1.
int CActorFlowLinux_sched_getcpu(void);

/// The calling thread's kernel thread id (gettid), cached per thread after the first call.
uint32_t CActorFlowLinux_gettid(void);

/// A spin-wait hint to the CPU (x86 `pause`, Arm `yield`): for the short spin before a worker parks.
static inline void CActorFlowLinux_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

// MARK: - Futex

/// Blocks while `*word == expected` (FUTEX_WAIT_PRIVATE), for at most `timeout_ns` nanoseconds when it is
/// not negative. Returns 0 when woken, or an errno value: EAGAIN (the value differed), EINTR (a signal),
/// ETIMEDOUT. Every outcome means "look at the word again".
int CActorFlowLinux_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns);

/// Wakes up to `count` threads blocked on `word` (FUTEX_WAKE_PRIVATE). Returns how many were woken.
int CActorFlowLinux_futex_wake(uint32_t *word, int count);

/// Atomics on a futex word (Swift's `Atomic` has no stable address to hand the kernel).
static inline uint32_t CActorFlowLinux_futex_word_load(const uint32_t *word) {
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}
static inline void CActorFlowLinux_futex_word_store(uint32_t *word, uint32_t value) {
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
}
static inline uint32_t CActorFlowLinux_futex_word_exchange(uint32_t *word, uint32_t value) {
    return __atomic_exchange_n(word, value, __ATOMIC_ACQ_REL);
}
static inline _Bool CActorFlowLinux_futex_word_compare_exchange(uint32_t *word, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(word, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

// MARK: - Thread-local pointers (DO NOT TOUCH the variables directly: use the accessors)

extern _Thread_local void *CActorFlowLinux_tls_current_worker;
extern _Thread_local const void *CActorFlowLinux_tls_current_serial_executor;

/// The worker object running on this thread (an unretained Swift reference), or NULL.
static inline void *CActorFlowLinux_get_current_worker(void) { return CActorFlowLinux_tls_current_worker; }
static inline void CActorFlowLinux_set_current_worker(void *worker) { CActorFlowLinux_tls_current_worker = worker; }

/// The serial executor whose job or firing is running on this thread (an unretained reference), or NULL.
static inline const void *CActorFlowLinux_get_current_serial_executor(void) {
    return CActorFlowLinux_tls_current_serial_executor;
}
static inline void CActorFlowLinux_set_current_serial_executor(const void *executor) {
    CActorFlowLinux_tls_current_serial_executor = executor;
}

// MARK: - ThreadSanitizer annotations

/// Tell ThreadSanitizer that the calling thread acquired / released the lock at `address`. No-ops unless this
/// file was compiled with -fsanitize=thread. Needed because Swift's `Mutex` takes its contended path inside
/// the (uninstrumented) runtime and the kernel, where ThreadSanitizer cannot see the hand-off.
void CActorFlowLinux_tsan_acquire(const void *address);
void CActorFlowLinux_tsan_release(const void *address);

// MARK: - libnuma diagnostics

/// How many times libnuma called numa_warn or numa_error in this process (our definitions replace
/// libnuma's weak ones, so nothing is printed to stderr).
uint64_t CActorFlowLinux_numa_diagnostic_count(void);

/// Copies the last libnuma warning or error (NUL-terminated, truncated to `capacity`) into `buffer`.
/// Returns its full length, 0 when there was none.
size_t CActorFlowLinux_numa_last_diagnostic(char *buffer, size_t capacity);

// MARK: - Non-blocking file I/O (file_io.c; the only caller is ActorFlowExecutor's Platform/_UnsafeFileIO.swift)

/// Reads up to `count` bytes at `offset` only if no wait for storage is needed (preadv2 with RWF_NOWAIT).
/// Returns the bytes read (0 at end of file, possibly fewer than `count` when only part is cached) or -errno:
/// -EAGAIN when the data is not in the page cache, -EOPNOTSUPP (or -EINVAL, -ENOSYS) when the kernel or the
/// file system cannot honour RWF_NOWAIT.
int64_t CActorFlowLinux_pread_nowait(int fd, void *buffer, size_t count, int64_t offset);

/// Opens `path` with `flags` only if the path resolves from the dentry cache (openat2 with RESOLVE_CACHED).
/// Returns the descriptor or -errno: -EAGAIN when resolving needs I/O, -ENOSYS or -EINVAL when unsupported.
int CActorFlowLinux_open_cached(const char *path, int flags);

/// A new epoll instance (close-on-exec), or -errno.
int CActorFlowLinux_epoll_create(void);

/// Watches `fd` for readability or hang-up (EPOLLIN | EPOLLRDHUP, EPOLL_CTL_ADD), only until the first event
/// when `once` (EPOLLONESHOT); `token` comes back from CActorFlowLinux_epoll_wait_tokens. Returns 0 or -errno
/// (-EPERM: `fd` cannot be polled).
int CActorFlowLinux_epoll_watch_readable(int epoll_fd, int fd, uint64_t token, _Bool once);

/// Stops watching `fd` (EPOLL_CTL_DEL). Returns 0 or -errno.
int CActorFlowLinux_epoll_unwatch(int epoll_fd, int fd);

/// Waits up to `timeout_ms` (-1: forever) for events and writes the ready tokens (at most `capacity`, at most 64)
/// to `tokens`. Returns how many, or -errno (-EINTR: a signal; call again).
int CActorFlowLinux_epoll_wait_tokens(int epoll_fd, uint64_t *tokens, int capacity, int timeout_ms);

/// A non-blocking, close-on-exec eventfd counting from 0, or -errno: the reactor's wake-up descriptor.
int CActorFlowLinux_eventfd(void);

#endif // __linux__

// MARK: - Current allocation scope (C11, any platform; DO NOT TOUCH the variable directly: use the accessors)

extern _Thread_local void *CActorFlowLinux_tls_current_allocation_scope;

/// The allocation scope installed on this thread (an unretained Swift reference), or NULL: what every NDArray
/// initializer reads, so the getter must stay one thread-local load.
static inline void *CActorFlowLinux_get_current_allocation_scope(void) {
    return CActorFlowLinux_tls_current_allocation_scope;
}
static inline void CActorFlowLinux_set_current_allocation_scope(void *scope) {
    CActorFlowLinux_tls_current_allocation_scope = scope;
}

// MARK: - Intra-op chunk tally (C11, any platform; DO NOT TOUCH the variables directly: use the accessors)

#include <stdint.h>

extern _Thread_local void *CActorFlowLinux_tls_intra_op_tally;
extern _Thread_local intptr_t CActorFlowLinux_tls_intra_op_worker;

/// The tally a traced firing armed on this thread (an unretained Swift reference), or NULL: what every split
/// loop reads, so the getter must stay one thread-local load.
static inline void *CActorFlowLinux_get_intra_op_tally(void) { return CActorFlowLinux_tls_intra_op_tally; }
/// The worker index the tally was armed with (-1: a thread off the pool). Meaningful only while one is armed.
static inline intptr_t CActorFlowLinux_get_intra_op_worker(void) { return CActorFlowLinux_tls_intra_op_worker; }
static inline void CActorFlowLinux_set_intra_op_tally(void *tally, intptr_t worker) {
    CActorFlowLinux_tls_intra_op_tally = tally;
    CActorFlowLinux_tls_intra_op_worker = worker;
}

#endif // C_ACTORFLOW_LINUX_H
