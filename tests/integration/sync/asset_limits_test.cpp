// Prefetch never fills the worker's disk: a hostile peer (a raw socket server, so it can
// declare what manod never would) hands out tasks whose assets are too big for the limits
// (AssetLimits, config asset_task_max_mb / asset_folder_max_mb / disk_reserve_mb):
// - a task declaring a 1 TiB asset is refused before a single byte is asked for;
// - an asset that would take the asset folder past its cap is not fetched;
// - a download during which the disk's free space falls below the reserve (the peer fills
//   the disk itself, with fallocate, just before it sends the bytes) stops within a MiB and
//   its partial file is removed.
// Each time the pass goes on, the refusal is reported as a code with its numbers, and the
// store still saves drafts.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <mutex>

#include "../../sync/protocol_peer.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_engine.h"
#include "temp_dir.h"

using namespace mano;
using mano::test::JsonReply;
using mano::test::RawHttpPeer;
using sync::AssetRefusalCode;

namespace {

constexpr int64_t kMiB = 1 << 20;

int64_t FreeBytes(const std::string& path) {
  struct statvfs fs {};
  REQUIRE(statvfs(path.c_str(), &fs) == 0);
  return static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
}

struct Asset {
  std::string bytes;     // what the peer serves
  int64_t declared = 0;  // what the claim reply says
};

// Hands out one task per claim, each with the next asset of `assets`.
struct AssetPeer {
  sync::ReceiptSigner signer = sync::ReceiptSigner::Generate();
  std::mutex mutex;
  std::vector<Asset> assets;
  size_t next = 0;
  std::map<std::string, const Asset*> by_hash;
  int asset_requests = 0;
  std::string filler;  // when set: a file fallocated to this path before an asset is sent
  int64_t filler_bytes = 0;

  RawHttpPeer::Reply Handle(const std::string& request) {
    std::lock_guard<std::mutex> lock(mutex);
    const std::string line = request.substr(0, request.find("\r\n"));
    if (auto reply = mano::test::LoginReply(line, signer)) return *reply;
    if (line.find("/v1/events") != std::string::npos)
      return JsonReply(200, R"({"t":1790000000000,"cursor":"c0","events":[]})");
    if (line.find("/v1/claim") != std::string::npos) {
      sync::ClaimReply reply;
      reply.server_time = mano::test::kPeerServerTime;
      if (next < assets.size()) {
        const Asset& asset = assets[next];
        sync::Assignment a = mano::test::PeerAssignment("a" + std::to_string(next));
        sync::AssetRef ref;
        ref.name = "photo";
        ref.hash = sync::Sha256Hex(asset.bytes);
        ref.size = asset.declared;
        ref.type = "image/png";
        by_hash[ref.hash] = &asset;
        a.assets.push_back(ref);
        a.form.show.push_back({sync::ShowType::kAsset, "photo", "photo"});
        reply.assignments.push_back(a);
        ++next;
      }
      return JsonReply(200, reply.ToJson());
    }
    if (line.find("/v1/assets/") != std::string::npos) {
      ++asset_requests;
      const size_t start = line.find("/v1/assets/") + 11;
      const std::string hash = line.substr(start, line.find(' ', start) - start);
      auto found = by_hash.find(hash);
      if (found == by_hash.end()) return JsonReply(404, "{}");
      if (!filler.empty()) {
        const int fd = open(filler.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) {
          if (posix_fallocate(fd, 0, filler_bytes) != 0) {
          }
          close(fd);
        }
      }
      return {RawHttpPeer::Http(200, "Content-Type: application/octet-stream\r\n",
                                found->second->bytes)};
    }
    return JsonReply(404, "{}");
  }
};

int64_t FileSize(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

// The store still takes a draft after the refusal.
void DraftStillSaves(sync::SyncEngine& engine, int64_t id) {
  const sync::Answer answer = sync::SampleAnswer("relevance", 1);
  const auto saved = engine.store().SaveCheckpoint(id, answer.ToJson(), "");
  CHECK(saved.version >= 1);
}

}  // namespace

TEST_CASE("a task declaring a 1 TiB asset is refused before a byte is fetched",
          "[integration][hostile][assets]") {
  AssetPeer server;
  server.assets.push_back({std::string(8 * kMiB, 'x'), int64_t{1} << 40});
  RawHttpPeer peer([&](const std::string& request) { return server.Handle(request); });
  const mano::test::TempDir temp_dir("mano-assets");
  const std::string dir = temp_dir.path();
  {
    sync::EngineOptions options;
    options.transport.connect_timeout_ms = 2000;
    sync::SyncEngine engine(dir, options);  // default limits: 256 MiB per task
    engine.Login("h", peer.url(), "tok_hostile_0123456789abcdefghijklmnopqrstuvw");
    const auto ids = engine.Claim("h", 1);
    REQUIRE(ids.size() == 1);
    const auto pass = engine.RunPass(true);
    REQUIRE(pass.accounts.size() == 1);
    const auto& report = pass.accounts[0];
    CHECK(report.outcome == sync::AccountOutcome::kOk);
    REQUIRE(report.asset_refusals.size() == 1);
    CHECK(report.asset_refusals[0].code == AssetRefusalCode::kTaskTooLarge);
    CHECK(report.asset_refusals[0].assignment == "a0");
    CHECK(report.asset_refusals[0].bytes == int64_t{1} << 40);
    CHECK(report.asset_refusals[0].limit == 256 * kMiB);
    CHECK(server.asset_requests == 0);
    CHECK(FileSize(engine.store().AssetsDir() + "/" + report.asset_refusals[0].hash) <= 0);
    DraftStillSaves(engine, ids[0]);
  }
}

TEST_CASE("an asset that would pass the folder's cap is not fetched",
          "[integration][hostile][assets]") {
  AssetPeer server;
  server.assets.push_back({std::string(700 << 10, 'a'), 0});
  server.assets.push_back({std::string(700 << 10, 'b'), 0});
  for (auto& asset : server.assets) asset.declared = static_cast<int64_t>(asset.bytes.size());
  RawHttpPeer peer([&](const std::string& request) { return server.Handle(request); });
  const mano::test::TempDir temp_dir("mano-assets");
  const std::string dir = temp_dir.path();
  {
    sync::EngineOptions options;
    options.transport.connect_timeout_ms = 2000;
    options.assets.folder_bytes = kMiB;
    sync::SyncEngine engine(dir, options);
    engine.Login("h", peer.url(), "tok_hostile_0123456789abcdefghijklmnopqrstuvw");
    REQUIRE(engine.Claim("h", 1).size() == 1);
    auto pass = engine.RunPass(true);
    CHECK(pass.accounts[0].assets == 1);
    CHECK(pass.accounts[0].asset_refusals.empty());
    const auto second = engine.Claim("h", 1);
    REQUIRE(second.size() == 1);
    pass = engine.RunPass(true);
    const auto& report = pass.accounts[0];
    CHECK(report.assets == 0);
    REQUIRE(report.asset_refusals.size() == 1);
    CHECK(report.asset_refusals[0].code == AssetRefusalCode::kFolderFull);
    CHECK(report.asset_refusals[0].assignment == "a1");
    CHECK(report.asset_refusals[0].limit == kMiB);
    CHECK(FileSize(engine.store().AssetsDir() + "/" + report.asset_refusals[0].hash) <= 0);
    DraftStillSaves(engine, second[0]);
  }
}

TEST_CASE("a download stops when the disk falls below the reserve, and its partial file goes",
          "[integration][hostile][assets]") {
  AssetPeer server;
  server.assets.push_back({std::string(6 * kMiB, 'z'), 6 * kMiB});
  RawHttpPeer peer([&](const std::string& request) { return server.Handle(request); });
  const mano::test::TempDir temp_dir("mano-assets");
  const std::string dir = temp_dir.path();
  sync::EngineOptions options;
  options.transport.connect_timeout_ms = 2000;
  std::vector<int64_t> ids;
  {
    sync::SyncEngine engine(dir, options);
    engine.Login("h", peer.url(), "tok_hostile_0123456789abcdefghijklmnopqrstuvw");
    ids = engine.Claim("h", 1);
    REQUIRE(ids.size() == 1);
  }
  {
    // Room for the asset when the download starts (with 64 MiB to spare for whatever else
    // runs on this machine), none once the peer has taken 512 MiB of the disk.
    const int64_t free_now = FreeBytes(dir);
    REQUIRE(free_now > 2048 * kMiB);
    options.assets.disk_reserve_bytes = free_now - 6 * kMiB - 64 * kMiB;
    {
      std::lock_guard<std::mutex> lock(server.mutex);
      server.filler = dir + "/filler";
      server.filler_bytes = 512 * kMiB;
    }
    sync::SyncEngine engine(dir, options);
    const auto pass = engine.RunPass(true);
    unlink((dir + "/filler").c_str());
    const auto& report = pass.accounts[0];
    CHECK(server.asset_requests == 1);
    CHECK(report.assets == 0);
    REQUIRE(report.asset_refusals.size() == 1);
    CHECK(report.asset_refusals[0].code == AssetRefusalCode::kDiskReserve);
    const std::string path = engine.store().AssetsDir() + "/" + report.asset_refusals[0].hash;
    CHECK(FileSize(path) == -1);  // the partial file is gone
    const auto asset = engine.store().GetAsset(report.asset_refusals[0].hash);
    REQUIRE(asset);
    CHECK(asset->bytes_present == 0);
    DraftStillSaves(engine, ids[0]);
  }
}
