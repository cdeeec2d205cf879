// The version of the wire protocol (docs/PROTOCOL.md): the /v1/ in every path and the
// `protocol` of GET /v1/health. A header of constants only.
#pragma once

namespace mano::sync {

inline constexpr char kProtocolVersion[] = "v1";

}  // namespace mano::sync
