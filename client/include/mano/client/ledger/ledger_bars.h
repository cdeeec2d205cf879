// Text bars for the UI's ledger screen: earnings per period, hours per period (paid,
// pending and unpaid stacked), and the real hourly wage over time. A pure function: the
// report's rows in, lines out; every line fits `width` terminal cells. The UI draws the
// lines as they are (no colour needed; `ascii` for terminals without block characters,
// e.g. TERM=vt100). Thread-safe: pure.
#pragma once

#include <string>
#include <vector>

#include "mano/client/ledger/ledger.h"

namespace mano::client::ledger {

struct BarOptions {
  int width = 80;
  bool ascii = false;   // '#', '+', '.' instead of '█', '▒', '░'
  int max_periods = 7;  // the most recent periods shown (older ones are left out)
  std::string account;  // "" = the overall rows ("all"); else that account's rows
};

// Sections, each a title line then one line per period: "2026-11-23 ████▒░  5:10".
// Returns a single explanatory line when there is nothing to show yet.
std::vector<std::string> RenderLedgerBars(const LedgerReport& report,
                                          const BarOptions& options = {});

}  // namespace mano::client::ledger
