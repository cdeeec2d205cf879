#include "dict_commands.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "dict_registry.h"
#include "file_util.h"
#include "mano/sync/answer.h"
#include "mano/sync/json_util.h"
#include "mano/sync/messages.h"
#include "mano/sync/zstd_dictionary.h"
#include "server_clock.h"
#include "server_store_factory.h"

namespace mano::manod {

namespace {

template <class F>
int Guarded(F&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "manod: %s\n", e.what());
    return 1;
  }
}

void PrintInfo(const DictInfo& info) {
  const std::string when = FormatUtc(info.created, "%Y-%m-%dT%H:%M:%SZ");
  std::printf("%u\t%s\t%lld\t%s\t%s\n", info.id, info.kind.c_str(),
              static_cast<long long>(info.size), when.c_str(),
              info.published ? "published" : "old");
}

}  // namespace

std::vector<std::string> TrainingSamples(const std::string& db, const std::string& kind,
                                         size_t* results) {
  auto opened = OpenServerStore(db, false);
  ServerStore& store = *opened;
  // The client's outbox body of each result: the key is derived from the assignment id
  // (result_builder.h), so these are byte for byte what past submit batches carried.
  std::vector<std::string> bodies;
  store.ForEachResult([&](const ExportRow& row) {
    if (row.kind != kind) return;
    sync::SubmitResult result;
    result.assignment_id = EncodeId(row.assignment_id);
    result.key = result.assignment_id + ":1";
    result.answer = sync::Answer::FromJson(row.answer_json);
    bodies.push_back(sync::ToJsonString(result));
  });
  *results = bodies.size();
  std::vector<std::string> samples;
  for (size_t run : {1, 2, 4}) {
    for (size_t i = 0; i + run <= bodies.size(); i += run) {
      std::string batch = "{\"results\":[";
      for (size_t j = i; j < i + run; ++j) batch += (j > i ? "," : "") + bodies[j];
      samples.push_back(batch + "]}");
    }
  }
  return samples;
}

int RunDictTrain(const std::string& db, const std::string& kind, size_t size) {
  return Guarded([&] {
    if (size < 256 || size > DictRegistry::kMaxDictBytes) {
      throw std::runtime_error("--size must be between 256 and " +
                               std::to_string(DictRegistry::kMaxDictBytes) + " bytes");
    }
    DictRegistry registry(db);
    size_t results = 0;
    const auto samples = TrainingSamples(db, kind, &results);
    if (results < kMinTrainingResults) {
      throw std::runtime_error("only " + std::to_string(results) + " results of kind " + kind +
                               " are stored; training needs at least " +
                               std::to_string(kMinTrainingResults) +
                               " (a few hundred give a useful dictionary)");
    }
    std::string bytes;
    try {
      bytes = sync::ZstdDictionary::Train(samples, size);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string(e.what()) + " (from " + std::to_string(results) +
                               " results of kind " + kind + "; more results or a smaller --size)");
    }
    const DictInfo info = registry.Add(kind, bytes, ServerClock().NowMs());
    std::fprintf(stderr, "manod: trained on %zu results; published for kind %s:\n", results,
                 kind.c_str());
    PrintInfo(info);
    return 0;
  });
}

int RunDictAdd(const std::string& db, const std::string& kind, const std::string& file) {
  return Guarded([&] {
    DictRegistry registry(db);
    const DictInfo info = registry.Add(kind, ReadWholeFile(file), ServerClock().NowMs());
    PrintInfo(info);
    return 0;
  });
}

int RunDictList(const std::string& db) {
  return Guarded([&] {
    DictRegistry registry(db);
    for (const auto& info : registry.List()) PrintInfo(info);
    return 0;
  });
}

void AddDictCommands(CLI::App& app, int* status) {
  struct Args {
    std::string db, kind, file;
    size_t size = 4096;
  };
  static Args args;
  auto* dict = app.add_subcommand(
      "dict",
      "zstd dictionaries per task kind (docs/PROTOCOL.md section 13): clients fetch the "
      "published one and use it when it makes their small submit batches smaller.");
  dict->require_subcommand(1);
  // Every dict command takes --db; train and add work on one --kind.
  struct Command {
    const char* name;
    const char* help;
    bool takes_kind;
    int (*run)();
  };
  const Command commands[] = {
      {"train",
       "Train a dictionary from the results stored for a kind (rebuilt as the submit batches "
       "clients sent) and publish it. Needs at least 20 results of the kind.",
       true, [] { return RunDictTrain(args.db, args.kind, args.size); }},
      {"add",
       "Publish a dictionary made elsewhere (e.g. `zstd --train`) for a kind, after checking "
       "that zstd loads it and that it carries a dictionary id.",
       true, [] { return RunDictAdd(args.db, args.kind, args.file); }},
      {"list",
       "List dictionaries, newest first: id, kind, bytes, created (UTC), published or old. "
       "Old ones stay decodable for clients that still hold them.",
       false, [] { return RunDictList(args.db); }}};
  for (const auto& c : commands) {
    auto* cmd = dict->add_subcommand(c.name, c.help);
    cmd->add_option("--db", args.db, "the server database: a SQLite file, or a postgresql:// URL")
        ->required();
    if (c.takes_kind) cmd->add_option("--kind", args.kind, "task kind")->required();
    cmd->callback([status, run = c.run] { *status = run(); });
  }
  dict->get_subcommand("train")
      ->add_option("--size", args.size, "largest dictionary size in bytes")
      ->capture_default_str();
  dict->get_subcommand("add")->add_option("FILE", args.file, "the dictionary file")->required();
}

}  // namespace mano::manod
