#include "mano/sync/sync_version.h"

namespace mano::sync {
const char* ProtocolVersion() { return "v1"; }
}  // namespace mano::sync
