// The protocol version this build of mano speaks (the path prefix of every endpoint).
#pragma once

namespace mano::sync {
// "v1": endpoints live under /v1/.
const char* ProtocolVersion();
}  // namespace mano::sync
