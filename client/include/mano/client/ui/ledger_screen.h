// LedgerScreen (`l` on the queue): the worker's ledger as text bars — earnings and hours per
// day and the real hourly wage — from ledger::ComputeLedger and ledger::RenderLedgerBars,
// drawn to the terminal's width (ASCII bars on terminals without block characters, e.g.
// TERM=vt100 or a non-UTF-8 locale), then the requesters section (ledger::ComputeRequesters:
// per requester, pay per real hour, rejections, days to approval and payment, the reasons
// given), as `mano requesters` prints it. Up/Down scroll when the lines do not fit; Esc or q
// goes back. Both wages are shown (on paid time, on all time), idle time on its own line, and
// with [ledger] local_currency and a rate in the config the whole ledger's wages in it.
// `i` counts idle time in or leaves it out again. Time spent here is not counted as work. Not
// thread-safe (UI thread).
#pragma once

#include <string>
#include <vector>

#include "mano/client/ledger/ledger.h"
#include "mano/client/ledger/requester_report.h"
#include "mano/client/ui/screen.h"

namespace mano::client::ui {

class LedgerScreen final : public Screen {
 public:
  explicit LedgerScreen(UiContext& ctx);

  std::string Title() const override;
  const KeyTable& keys() const override;
  void Draw(Canvas& canvas, int top, int rows) override;
  Outcome HandleKey(const Key& key) override;
  void Refresh() override;
  // Reading the ledger is no work on a task nor a search for one.
  std::optional<ledger::Focus> WorkFocus() const override { return ledger::Focus{}; }

  // The lines for a width (also used by tests).
  std::vector<std::string> Lines(int width) const;

 private:
  UiContext& ctx_;
  ledger::LedgerReport report_;
  ledger::RequesterReport requesters_;
  std::string error_;  // the ledger could not be read
  bool ascii_ = false;
  bool include_idle_ = false;  // `i`: idle time counted in the hours and wages
  int scroll_ = 0;
};

}  // namespace mano::client::ui
