// The thread-local slots behind ActorFlowCore's IntraOpTally (Parallel/_UnsafeIntraOpTallySlot.swift). Plain C11,
// so they are defined on every platform (unlike the rest of this target, which is Linux-only).
#include "CActorFlowLinux.h"

#include <stddef.h>
#include <stdint.h>

_Thread_local void *CActorFlowLinux_tls_intra_op_tally = NULL;
_Thread_local intptr_t CActorFlowLinux_tls_intra_op_worker = -1;
