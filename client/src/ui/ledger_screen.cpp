#include "mano/client/ui/ledger_screen.h"

#include <langinfo.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "mano/client/ledger/ledger_bars.h"
#include "mano/client/ui/help_screen.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"

namespace mano::client::ui {
namespace {

// Block characters need a UTF-8 locale and a terminal that has them (not a VT100).
bool NeedAscii() {
  const char* codeset = nl_langinfo(CODESET);
  if (!codeset || std::strcmp(codeset, "UTF-8") != 0) return true;
  const char* term = std::getenv("TERM");
  return !term || std::strncmp(term, "vt", 2) == 0 || std::strcmp(term, "dumb") == 0;
}

}  // namespace

LedgerScreen::LedgerScreen(UiContext& ctx) : ctx_(ctx), ascii_(NeedAscii()) { Refresh(); }

std::string LedgerScreen::Title() const { return T("Ledger"); }

const KeyTable& LedgerScreen::keys() const {
  static const KeyTable table = [] {
    std::vector<Binding> bindings = ScrollPageKeys().bindings();
    bindings.push_back({Key::Char(U'i'), Action::kToggleIdle, "idle time", true, false});
    return KeyTable(std::move(bindings));
  }();
  return table;
}

void LedgerScreen::Refresh() {
  error_.clear();
  try {
    ledger::LedgerOptions options;
    options.idle_limit_ms = ctx_.config.idle_minutes * 60'000;
    options.include_idle = include_idle_;
    try {
      options.local = ledger::LoadLocalCurrency(ctx_.config.path);
    } catch (const std::exception&) {
      // A bad rate in the config: mano ledger says so; the screen shows the rest.
    }
    report_ = ledger::ComputeLedger(*ctx_.store, options);
    requesters_ = ledger::ComputeRequesters(*ctx_.store);
  } catch (const std::exception& e) {
    error_ = TF("Could not read the ledger: {0}", {e.what()});
  }
}

std::vector<std::string> LedgerScreen::Lines(int width) const {
  if (!error_.empty()) return {error_};
  ledger::BarOptions options;
  options.width = width;
  options.ascii = ascii_;
  std::vector<std::string> lines = ledger::RenderLedgerBars(report_, options);
  if (requesters_.rows.empty()) return lines;
  lines.emplace_back();
  const std::string text = ledger::RenderRequestersText(requesters_, width);
  for (size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1)
    lines.push_back(text.substr(at, end - at));
  return lines;
}

void LedgerScreen::Draw(Canvas& canvas, int top, int rows) {
  std::vector<std::string> lines = Lines(canvas.cols() - 2);
  int n = static_cast<int>(lines.size());
  scroll_ = std::clamp(scroll_, 0, std::max(0, n - rows));
  for (int i = 0; i < rows && scroll_ + i < n; ++i) {
    canvas.Put(top + i, 1, FitToWidth(lines[scroll_ + i], canvas.cols() - 2));
  }
}

Outcome LedgerScreen::HandleKey(const Key& key) {
  if (keys().Lookup(key, false) == Action::kToggleIdle) {
    include_idle_ = !include_idle_;
    Refresh();
    return {kHandled | kRedraw, nullptr};
  }
  return HandleScrollPageKey(key, scroll_);
}

}  // namespace mano::client::ui
