#!/usr/bin/env bash
# The image's HEALTHCHECK (docker compose waits on it): asks the standard gRPC health service
# (grpc.health.v1.Health/Check, whole server) over gRPC-Web on the HTTP/1.1 port, with nothing but bash, so the
# runtime image needs no curl or grpc_health_probe. Healthy only when the answer is SERVING, which the host reports
# once its Orleans silo is active. Kubernetes does not use this: its probes speak gRPC to port 5080 directly.
set -euo pipefail

url="${Handoff__Server__GrpcWebUrl:-http://127.0.0.1:5081}"
port="${url##*:}"
port="${port%%/*}"

# HTTP/1.0 so the answer is not chunked: the gRPC-Web body arrives as written, then the server closes.
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'POST /grpc.health.v1.Health/Check HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/grpc-web+proto\r\nX-Grpc-Web: 1\r\nContent-Length: 5\r\n\r\n\0\0\0\0\0' >&3
# A server that never closes (not Kestrel, or a hung one) must not hang the check.
answer="$(timeout 4 od -An -v -tx1 <&3 | tr -d ' \n' || true)"
exec 3<&-

# One uncompressed message frame of two bytes: field 1 (status) = 1 (SERVING).
if [[ "${answer}" == *00000000020801* ]]; then
  exit 0
fi
echo "not SERVING on port ${port}" >&2
exit 1
