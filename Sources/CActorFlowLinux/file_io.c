// Non-blocking file I/O for ActorFlowExecutor's file reader: the calls Swift's Glibc module does not show
// (preadv2 and RWF_NOWAIT are GNU-only; sys/epoll.h and sys/eventfd.h are not in the module map; openat2 has no
// glibc wrapper). Each returns its result or -errno, so Swift never reads errno after an intervening call.
#ifdef __linux__

#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE (Package.swift does, through cSettings)
#endif

#include "CActorFlowLinux.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int64_t CActorFlowLinux_pread_nowait(int fd, void *buffer, size_t count, int64_t offset) {
#ifdef RWF_NOWAIT
    struct iovec vector = {.iov_base = buffer, .iov_len = count};
    ssize_t result;
    do {
        result = preadv2(fd, &vector, 1, (off_t)offset, RWF_NOWAIT);
    } while (result < 0 && errno == EINTR);
    return result < 0 ? -(int64_t)errno : (int64_t)result;
#else
    (void)fd; (void)buffer; (void)count; (void)offset;
    return -EOPNOTSUPP;
#endif
}

int CActorFlowLinux_open_cached(const char *path, int flags) {
#if defined(SYS_openat2) && defined(RESOLVE_CACHED)
    struct open_how how = {.flags = (uint64_t)flags, .mode = 0, .resolve = RESOLVE_CACHED};
    long result;
    do {
        result = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
    } while (result < 0 && errno == EINTR);
    return result < 0 ? -errno : (int)result;
#else
    (void)path; (void)flags;
    return -ENOSYS;
#endif
}

int CActorFlowLinux_epoll_create(void) {
    int result = epoll_create1(EPOLL_CLOEXEC);
    return result < 0 ? -errno : result;
}

int CActorFlowLinux_epoll_watch_readable(int epoll_fd, int fd, uint64_t token, _Bool once) {
    uint32_t events = EPOLLIN | EPOLLRDHUP | (once ? EPOLLONESHOT : 0);
    struct epoll_event event = {.events = events, .data = {.u64 = token}};
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0 ? -errno : 0;
}

int CActorFlowLinux_epoll_unwatch(int epoll_fd, int fd) {
    return epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL) < 0 ? -errno : 0;
}

int CActorFlowLinux_epoll_wait_tokens(int epoll_fd, uint64_t *tokens, int capacity, int timeout_ms) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll_fd, events, capacity, timeout_ms);
    if (count < 0) return -errno;
    for (int i = 0; i < count; i++) tokens[i] = events[i].data.u64;
    return count;
}

int CActorFlowLinux_eventfd(void) {
    int result = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return result < 0 ? -errno : result;
}

#endif // __linux__
