// Fuzz target: manod's request path. The input is one request as text: "METHOD TARGET", header
// lines "Name: value", an empty line, then the body (see Parse). It goes through ApiService
// (routing, auth, body decoding, every endpoint) over a real SqliteServerStore in a temporary
// folder, with the sample tasks imported and a worker whose token the seeds carry.
// Invariants: Handle never throws, answers a status in 100..599, and every error reply is the
// protocol's error body (valid JSON, valid UTF-8).
#include <stdlib.h>

#include <filesystem>
#include <memory>

#include "api_service.h"
#include "dict_registry.h"
#include "fuzz_target.h"
#include "mano/sync/codec.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/messages.h"
#include "mano/sync/sync_error.h"
#include "server_clock.h"
#include "sqlite_server_store.h"
#include "task_importer.h"

using namespace mano::manod;

namespace {

constexpr char kToken[] = "fuzz-token";

// One server for the whole run (a store per input would measure SQLite, not the parser).
// On tmpfs when there is one: the store syncs every transaction.
struct World {
  std::string dir;
  std::unique_ptr<SqliteServerStore> store;
  std::unique_ptr<DictRegistry> dictionaries;
  ServerClock clock;
  std::unique_ptr<ApiService> api;
  std::string asset;  // the hash of a sample asset

  World() {
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    std::string pattern = (base / "manod-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) __builtin_trap();
    dir = pattern;
    store = std::make_unique<SqliteServerStore>(dir + "/manod.db", true);
    store->AddWorker("fuzz", mano::sync::Sha256Hex(kToken), 0);
    store->AddWorker("other", mano::sync::Sha256Hex("other-token"), 0);
    TaskImporter(*store, 0).ImportJsonl(MANO_SAMPLE_TASKS);
    dictionaries = std::make_unique<DictRegistry>(dir + "/manod.db");
    ApiService::Limits limits = ApiService::Limits::Defaults();
    limits.rate_per_second = 1e9;
    limits.rate_burst = 1e9;
    api = std::make_unique<ApiService>(*store, mano::sync::ReceiptSigner::Generate(), clock, limits,
                                       dictionaries.get());
    // An upload the seeds name, and everything the sample has leased to the fuzz worker, so
    // ids and assets exist.
    store->CreateUpload(1, "abcd", 11, 0, {});
    for (const auto& a : store->Claim(1, "seed", 100, {}, 0)) {
      auto task = mano::sync::Assignment::FromJson(a.task_json);
      if (!task.assets.empty() && asset.empty()) asset = task.assets[0].hash;
    }
  }
  ~World() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

World& TheWorld() {
  static World world;
  return world;
}

// "METHOD TARGET\nName: value\n...\n\nbody"; a line may end in "\r\n".
HttpRequest Parse(std::string_view in) {
  HttpRequest r;
  auto line = [&in]() {
    size_t end = in.find('\n');
    std::string_view l = in.substr(0, end);
    in = end == std::string_view::npos ? std::string_view() : in.substr(end + 1);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
  };
  std::string_view first = line();
  size_t space = first.find(' ');
  r.method = std::string(first.substr(0, space));
  std::string target = space == std::string_view::npos ? "" : std::string(first.substr(space + 1));
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string_view query = std::string_view(target).substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      size_t eq = pair.find('=');
      r.query[std::string(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  while (!in.empty()) {
    std::string_view h = line();
    if (h.empty()) break;
    size_t colon = h.find(':');
    std::string name(h.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = colon == std::string_view::npos ? "" : h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers[name] = std::string(value);
  }
  r.body = std::string(in);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& world = TheWorld();
  HttpRequest request = Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  HttpResponse reply;
  try {
    reply = world.api->Handle(request);
  } catch (...) {
    FUZZ_CHECK(false);  // HttpServer would answer 500: a request must never get that far
  }
  FUZZ_CHECK(reply.status >= 100 && reply.status <= 599);
  if (reply.status >= 400) {
    try {
      mano::sync::ErrorBody::FromJson(reply.body);
    } catch (const mano::sync::SyncError&) {
      FUZZ_CHECK(false);
    }
  }
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  World& world = TheWorld();
  const std::string auth = std::string("Authorization: Bearer ") + kToken + "\n";
  const std::string claim = "{\"key\":\"c1\",\"count\":2,\"kinds\":[\"relevance\"]}";
  std::vector<std::string> seeds = {
      "GET /v1/health\n\n",
      "GET /.well-known/mano/receipt-key\n\n",
      "GET /v1/me\n" + auth + "\n",
      "GET /v1/me\nAuthorization: Bearer other-token\n\n",
      "POST /v1/claim\n" + auth + "\n" + claim,
      "POST /v1/claim\n" + auth + "Content-Encoding: zstd\n\n" + mano::sync::Compress(claim),
      "POST /v1/submit\n" + auth +
          "\n{\"results\":[{\"a\":\"1\",\"k\":\"s1\",\"v\":{\"score\":1}},"
          "{\"a\":\"2\",\"v\":{\"note\":\"caf\xc3\xa9\"}}]}",
      "POST /v1/submit\n" + auth +
          "Mano-Receipts: batch-v1\n\n{\"results\":[{\"a\":\"3\",\"k\":\"s3\",\"v\":{}}]}",
      "POST /v1/submit\n" + auth + "\n{\"results\":[{\"a\":\"4\",\"k\":\"s4\",\"u\":\"abcd\"}]}",
      "POST /v1/anchor\n" + auth + "\n{\"a\":\"1\",\"h\":\"00112233445566778899aabbccddeeff\"}",
      "POST /v1/return\n" + auth + "\n{\"a\":\"2\"}",
      "GET /v1/events?after=&limit=5\n" + auth + "\n",
      "POST /v1/uploads\n" + auth + "Upload-Length: 13\nTus-Resumable: 1.0.0\n\n",
      "PATCH /v1/uploads/abcd\n" + auth +
          "Tus-Resumable: 1.0.0\nContent-Type: application/offset+octet-stream\n"
          "Upload-Offset: 0\nUpload-Checksum: sha256 " +
          mano::sync::Base64Encode(mano::sync::Sha256("{\"score\":1}")) + "\n\n{\"score\":1}",
      "HEAD /v1/uploads/abcd\n" + auth + "Tus-Resumable: 1.0.0\n\n",
      "DELETE /v1/uploads/abcd\n" + auth + "Tus-Resumable: 1.0.0\n\n",
      "GET /v1/assets/" + world.asset + "\n" + auth + "Range: bytes=5-20\n\n",
      "GET /v1/dict/relevance\n" + auth + "If-None-Match: W/\"1\"\n\n",
      "DELETE /v1/me\n" + auth + "\n",
      "POST /v1/claim\n" + auth + "\n" + std::string(100, '[') + std::string(100, ']'),
  };
  return seeds;
}
