#!/usr/bin/env bash
# Runs `actorflow-mpi ARGS…` on two "hosts": network namespaces joined by a veth pair, rank 0 in the first and
# rank 1 in the second, with Open MPI's TCP transport (and its launcher's out-of-band channel) restricted to the
# veth's subnet, so every tensor crosses a real network stack. mpirun starts the second rank's daemon through its
# rsh launcher hook (plm_rsh_agent), pointed at a script that enters the second namespace. Needs root and `ip`.
#
#     scripts/mpi-two-hosts.sh .build/debug/actorflow-mpi clustertest   (ActorFlowMPITests runs it)
set -euo pipefail
program="$1"; shift
id="$$"
hostA="af-a-$id"; hostB="af-b-$id"
vethA="afa$id"; vethB="afb$id"
vethA="${vethA:0:15}"; vethB="${vethB:0:15}"
subnet="10.77.$((id % 200)).0/24"
addrA="10.77.$((id % 200)).1"; addrB="10.77.$((id % 200)).2"
scratch=$(mktemp -d)
cleanup() {
    ip netns del "$hostA" 2>/dev/null || true
    ip netns del "$hostB" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
ip netns add "$hostA"
ip netns add "$hostB"
ip link add "$vethA" type veth peer name "$vethB"
ip link set "$vethA" netns "$hostA"
ip link set "$vethB" netns "$hostB"
ip -n "$hostA" addr add "$addrA/24" dev "$vethA"
ip -n "$hostB" addr add "$addrB/24" dev "$vethB"
for ns in "$hostA" "$hostB"; do ip -n "$ns" link set lo up; done
ip -n "$hostA" link set "$vethA" up
ip -n "$hostB" link set "$vethB" up
cat > "$scratch/agent.sh" <<AGENT
#!/bin/sh
# mpirun's launcher for the second host: \$1 is the host, the rest the command to start there.
host="\$1"; shift
[ "\$host" = "$addrB" ] || { echo "agent: unknown host \$host" >&2; exit 1; }
exec ip netns exec "$hostB" sh -c "\$*"
AGENT
chmod +x "$scratch/agent.sh"
root=()
[ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
# Where each rank runs, for the log (and the test's check that they really are apart).
ip netns exec "$hostA" mpirun "${root[@]}" -np 2 --host "$addrA,$addrB" \
    --mca plm_rsh_agent "$scratch/agent.sh" --mca btl tcp,self \
    --mca btl_tcp_if_include "$subnet" --mca oob_tcp_if_include "$subnet" \
    /bin/sh -c 'echo "rank $OMPI_COMM_WORLD_RANK runs in namespace $(ip netns identify $$)"'
ip netns exec "$hostA" mpirun "${root[@]}" -np 2 --host "$addrA,$addrB" \
    --mca plm_rsh_agent "$scratch/agent.sh" --mca btl tcp,self \
    --mca btl_tcp_if_include "$subnet" --mca oob_tcp_if_include "$subnet" \
    "$program" "$@"
