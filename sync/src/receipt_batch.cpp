#include "mano/sync/receipt_batch.h"

#include <charconv>

#include "mano/sync/receipt_signer.h"

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

}  // namespace

std::string CanonicalBatchBytes(const std::vector<Receipt>& receipts) {
  std::string out(kBatchBytesHeader);
  for (const Receipt& r : receipts) out += CanonicalReceiptBytes(r);
  return out;
}

std::optional<std::vector<Receipt>> ParseBatchBytes(std::string_view bytes) {
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
    r.h = std::string(bytes.substr(pos + 2, end - pos - 2));
    pos = end + 1;
    const auto status = ParseReceiptStatus(*s);
    if (!status || !Number(*c, &r.c) || !Number(*t, &r.t)) return std::nullopt;
    r.k = std::string(*k);
    r.a = std::string(*a);
    r.s = *status;
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
    if (r.k == receipt.k && r.a == receipt.a && r.s == receipt.s && r.c == receipt.c &&
        r.t == receipt.t && r.h == receipt.h) {
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace mano::sync
