// The tus 1.0 checksum extension's Upload-Checksum header: "<algorithm> <base64 of the digest>"
// of one PATCH's body, with the algorithms manod supports (sha1, which the extension requires
// every server to support, and sha256). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mano::manod {

// The algorithms, as the Tus-Checksum-Algorithm header lists them.
inline constexpr const char* kTusChecksumAlgorithms = "sha1,sha256";

enum class ChecksumCheck {
  kMatch,        // the digest of `bytes` is the one the header gives
  kMismatch,     // a supported algorithm, another digest: tus answers 460
  kUnsupported,  // no "<algorithm> <digest>" of a supported algorithm: tus answers 400
};

ChecksumCheck CheckUploadChecksum(const std::string& header, std::string_view bytes);

}  // namespace mano::manod
