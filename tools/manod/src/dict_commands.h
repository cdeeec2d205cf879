// `manod dict train|add|list`: the operator's side of the zstd dictionaries of
// docs/PROTOCOL.md section 13 (DictRegistry keeps them). AddDictCommands registers the three
// subcommands on manod's CLI11 app; each sets `*status` to the exit status (0 ok, 1 failure
// with a one-line message on stderr) and never throws.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace mano::manod {

// `status` must outlive the parse.
void AddDictCommands(CLI::App& app, int* status);

// Trains a dictionary of at most `size` bytes for `kind` from the results stored for it and
// publishes it. Refuses when fewer than kMinTrainingResults results of that kind exist.
int RunDictTrain(const std::string& db, const std::string& kind, size_t size);
// Validates the dictionary in `file` and publishes it for `kind`.
int RunDictAdd(const std::string& db, const std::string& kind, const std::string& file);
// One line per dictionary: id, kind, bytes, created (UTC), "published" or "old".
int RunDictList(const std::string& db);

// Submit batches rebuilt from the stored results of `kind`, exactly as the client sends them
// ({"results":[{"a","k","v"}...]}): each result alone, and runs of 2 and 4 in a batch.
std::vector<std::string> TrainingSamples(const std::string& db, const std::string& kind,
                                         size_t* results);

constexpr size_t kMinTrainingResults = 20;

}  // namespace mano::manod
