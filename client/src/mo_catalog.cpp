#include "mano/client/mo_catalog.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mano::client {
namespace {

constexpr uint32_t kMagic = 0x950412de;
constexpr uint32_t kMagicSwapped = 0xde120495;

uint32_t Swap(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
}

}  // namespace

std::optional<MoCatalog> MoCatalog::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return Parse(bytes.str());
}

std::optional<MoCatalog> MoCatalog::Parse(const std::string& bytes) {
  if (bytes.size() < 28) return std::nullopt;
  auto word_at = [&](size_t offset, bool swap, uint32_t& out) {
    if (offset + 4 > bytes.size()) return false;
    std::memcpy(&out, bytes.data() + offset, 4);
    if (swap) out = Swap(out);
    return true;
  };
  uint32_t magic = 0;
  word_at(0, false, magic);
  if (magic != kMagic && magic != kMagicSwapped) return std::nullopt;
  bool swap = magic == kMagicSwapped;
  uint32_t count = 0, originals = 0, translations = 0;
  word_at(8, swap, count);
  word_at(12, swap, originals);
  word_at(16, swap, translations);
  MoCatalog catalog;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t olen, ooff, tlen, toff;
    if (!word_at(originals + 8ull * i, swap, olen) ||
        !word_at(originals + 8ull * i + 4, swap, ooff) ||
        !word_at(translations + 8ull * i, swap, tlen) ||
        !word_at(translations + 8ull * i + 4, swap, toff))
      return std::nullopt;
    if (uint64_t{ooff} + olen > bytes.size() || uint64_t{toff} + tlen > bytes.size())
      return std::nullopt;
    std::string original(bytes.data() + ooff, olen);
    std::string translation(bytes.data() + toff, tlen);
    // Plural entries hold "singular\0plural": key by the singular, answer the first form.
    if (auto nul = original.find('\0'); nul != std::string::npos) original.resize(nul);
    if (auto nul = translation.find('\0'); nul != std::string::npos) translation.resize(nul);
    if (original.empty()) continue;  // the header entry
    catalog.messages_.emplace(std::move(original), std::move(translation));
  }
  return catalog;
}

const char* MoCatalog::Lookup(const std::string& msgid) const {
  auto it = messages_.find(msgid);
  if (it == messages_.end() || it->second.empty()) return nullptr;
  return it->second.c_str();
}

}  // namespace mano::client
