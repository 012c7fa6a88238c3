// The public face re-exports the vocabulary, the ops and the scheduling policies, so `import ActorFlow`
// is all a user writes.
@_exported import ActorFlowCore
@_exported import ActorFlowOps
@_exported import enum ActorFlowExecutor.SchedulingPolicy
