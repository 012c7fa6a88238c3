// The thread-local slot behind ActorFlowCore's AllocationScope.current. Plain C11, so it is defined on every
// platform (unlike the rest of this target, which is Linux-only).
#include "CActorFlowLinux.h"

#include <stddef.h>

_Thread_local void *CActorFlowLinux_tls_current_allocation_scope = NULL;
