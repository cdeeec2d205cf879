#include "mano/sync/receipt_batch.h"

#include <charconv>

#include "mano/sync/jcs.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {
namespace {

// Reads the line "<name>=<value>\n" at `pos`; advances `pos` past it.
std::optional<std::string_view> Line(std::string_view bytes, std::size_t& pos,
                                     std::string_view name) {
  const std::size_t end = bytes.find('\n', pos);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view line = bytes.substr(pos, end - pos);
  if (line.size() <= name.size() || line.substr(0, name.size()) != name ||
      line[name.size()] != '=') {
    return std::nullopt;
  }
  pos = end + 1;
  return line.substr(name.size() + 1);
}

template <class Int>
bool Number(std::string_view text, Int* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<std::vector<Receipt>> ParseJcsBatch(std::string_view bytes) {
  std::vector<Receipt> out;
  try {
    JsonDocument doc(bytes);
    JsonIn root = doc.Root();
    if (root.IntOf("cv") != kCanonJcs || root.Str("m") != "mano-receipts") return std::nullopt;
    JsonIn list = root.Member("r");
    for (std::size_t i = 0; i < list.Size(); ++i) {
      JsonIn item = list.At(i);
      Receipt r;
      r.key = item.IdOf("k");
      r.assignment_id = item.IdOf("a");
      const auto status = ParseReceiptStatus(item.Str("s"));
      if (!status) return std::nullopt;
      r.status = *status;
      r.code = static_cast<int>(item.IntOf("c"));
      r.server_time = item.IntOf("t");
      r.answer_hash = item.StrOr("h", "");
      r.canonical_version = kCanonJcs;
      out.push_back(std::move(r));
    }
  } catch (const SyncError&) {
    return std::nullopt;
  }
  if (out.empty() || CanonicalBatchBytes(out) != bytes) return std::nullopt;
  return out;
}

}  // namespace

std::string CanonicalBatchBytes(const std::vector<Receipt>& receipts) {
  if (!receipts.empty() && receipts.front().canonical_version != kCanonLegacy) {
    // {"cv":2,"m":"mano-receipts","r":[{"a","c","h","k","s","t"},...]} under RFC 8785.
    std::string out = "{\"cv\":" + std::to_string(receipts.front().canonical_version) +
                      ",\"m\":\"mano-receipts\",\"r\":[";
    for (std::size_t i = 0; i < receipts.size(); ++i) {
      Receipt r = receipts[i];
      r.canonical_version = kCanonLegacy;  // once for the batch, not per receipt
      out += i ? ",{" : "{";
      AppendJcsReceiptMembers(out, r);
      out += ",\"s\":";
      JcsAppendString(out, ReceiptStatusName(r.status));
      out += ",\"t\":" + std::to_string(r.server_time) + "}";
    }
    return out + "]}";
  }
  std::string out(kBatchBytesHeader);
  for (const Receipt& r : receipts) out += LegacyReceiptBytes(r);
  return out;
}

std::optional<std::vector<Receipt>> ParseBatchBytes(std::string_view bytes) {
  if (!bytes.empty() && bytes.front() == '{') return ParseJcsBatch(bytes);
  if (bytes.substr(0, kBatchBytesHeader.size()) != kBatchBytesHeader) return std::nullopt;
  constexpr std::string_view kReceiptHeader = "mano-receipt-v1\n";
  std::vector<Receipt> out;
  std::size_t pos = kBatchBytesHeader.size();
  while (pos < bytes.size()) {
    if (bytes.substr(pos, kReceiptHeader.size()) != kReceiptHeader) return std::nullopt;
    pos += kReceiptHeader.size();
    Receipt r;
    auto k = Line(bytes, pos, "k");
    auto a = k ? Line(bytes, pos, "a") : std::nullopt;
    auto s = a ? Line(bytes, pos, "s") : std::nullopt;
    auto c = s ? Line(bytes, pos, "c") : std::nullopt;
    auto t = c ? Line(bytes, pos, "t") : std::nullopt;
    if (!t) return std::nullopt;
    // h may be empty (a result whose upload was missing): "h=\n".
    const std::size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos || bytes.substr(pos, 2) != "h=") return std::nullopt;
    r.answer_hash = std::string(bytes.substr(pos + 2, end - pos - 2));
    pos = end + 1;
    const auto status = ParseReceiptStatus(*s);
    if (!status || !Number(*c, &r.code) || !Number(*t, &r.server_time)) return std::nullopt;
    r.key = std::string(*k);
    r.assignment_id = std::string(*a);
    r.status = *status;
    r.canonical_version = kCanonLegacy;
    out.push_back(std::move(r));
  }
  // One text, one reading: anything the lines above let through in another spelling (a
  // leading zero, a "+") makes the bytes differ from their canonical form.
  if (out.empty() || CanonicalBatchBytes(out) != bytes) return std::nullopt;
  return out;
}

std::optional<std::size_t> FindInBatch(const std::vector<Receipt>& batch, const Receipt& receipt) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Receipt& r = batch[i];
    if (r.key == receipt.key && r.assignment_id == receipt.assignment_id &&
        r.status == receipt.status && r.code == receipt.code &&
        r.server_time == receipt.server_time && r.answer_hash == receipt.answer_hash &&
        r.canonical_version == receipt.canonical_version) {
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace mano::sync
