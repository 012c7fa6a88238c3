// libnuma (Debian: libnuma-dev), found by pkg-config "numa". ActorFlowExecutor's Topology+libnuma.swift is its only importer.
#include <numa.h>
