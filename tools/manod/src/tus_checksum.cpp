#include "tus_checksum.h"

#include <openssl/evp.h>

#include "mano/sync/crypto_util.h"

namespace mano::manod {

namespace {

// SHA-1 through OpenSSL's libcrypto: only tus needs it (the protocol's hash is SHA-256).
std::string Sha1(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha1(), nullptr) != 1) return {};
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace

ChecksumCheck CheckUploadChecksum(const std::string& header, std::string_view bytes) {
  const size_t space = header.find(' ');
  if (space == std::string::npos) return ChecksumCheck::kUnsupported;
  const std::string algorithm = header.substr(0, space);
  const std::string given = header.substr(space + 1);
  std::string digest;
  if (algorithm == "sha256") {
    digest = sync::Sha256(bytes);
  } else if (algorithm == "sha1") {
    digest = Sha1(bytes);
  } else {
    return ChecksumCheck::kUnsupported;
  }
  return given == sync::Base64Encode(digest) ? ChecksumCheck::kMatch : ChecksumCheck::kMismatch;
}

}  // namespace mano::manod
