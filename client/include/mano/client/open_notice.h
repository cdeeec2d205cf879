// OpenNotices: what the worker must be told after the store was opened, one clear sentence
// each, from storage's OpenReport — a damaged database moved aside (with its new path and
// how many rows were recovered or lost) and a clock that jumped back since the last run.
// The command line prints them on stderr (CliContext::OpenStore), the terminal UI shows them
// on its message line. Translated with the command line's catalog (Tr). Thread-safe after
// InitLanguage, like Tr.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mano/client/i18n.h"
#include "mano/storage/records.h"

namespace mano::client {

inline std::vector<std::string> OpenNotices(const storage::OpenReport& report) {
  std::vector<std::string> out;
  if (!report.recovered_from.empty()) {
    int64_t recovered = 0, lost = 0;
    for (const auto& t : report.tables) {
      recovered += t.recovered;
      lost += t.lost;
    }
    out.push_back(
        TrFormat("The local database was damaged: it was moved aside to {0}, and {1} rows were "
                 "recovered into a new one ({2} lost).",
                 {report.recovered_from, std::to_string(recovered), std::to_string(lost)}));
  }
  if (report.clock_jumped_back) {
    out.push_back(
        Tr("The computer's clock went back in time since mano last ran; check the date and "
           "time (deadlines still follow the server's clock)."));
  }
  return out;
}

}  // namespace mano::client
