// CurlShare: one libcurl share handle (CURLSH) for every CurlTransport of a process, so
// connections and TLS sessions outlive a transport and serve every account on the same
// server: the passes of `mano sync --watch` and the accounts of one pass reuse the open
// connection, and a new connection to a server already met resumes its TLS session
// (one round trip fewer than a full handshake).
//
// Shared: the connection cache (CURL_LOCK_DATA_CONNECT), TLS session ids and tickets
// (CURL_LOCK_DATA_SSL_SESSION) and DNS answers (CURL_LOCK_DATA_DNS).
// Connections in the cache close through the TransferCancel they were opened with, so the
// share keeps it alive. Transports hold the share by shared_ptr: the share is cleaned up
// (its connections closed) after the last of them is gone.
// Thread safety: thread-safe (libcurl locks it through this class's mutexes); the easy
// handles attached to it still belong to one thread each.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "mano/sync/transfer_cancel.h"

namespace mano::sync {

class CurlShare {
 public:
  explicit CurlShare(std::shared_ptr<TransferCancel> cancel = nullptr);
  ~CurlShare();
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;

  // The CURLSH* to pass as CURLOPT_SHARE (void* keeps curl.h out of this header); null if
  // libcurl could not make one (transports then work unshared).
  void* handle() const { return share_; }

  // curl_global_init, once per process (before any other libcurl call).
  static void GlobalInit();

  // What the transports on this share did to the network, counted by them: connections
  // opened, TLS handshakes among them, and how many of those resumed an earlier session.
  struct Counts {
    int64_t connections = 0;
    int64_t tls_handshakes = 0;
    int64_t tls_resumed = 0;
  };
  Counts counts() const {
    return Counts{connections_.load(), tls_handshakes_.load(), tls_resumed_.load()};
  }
  // Called by a transport after an exchange that opened a connection.
  void CountConnection(bool tls, bool resumed) {
    ++connections_;
    if (tls) ++tls_handshakes_;
    if (resumed) ++tls_resumed_;
  }

 private:
  static void Lock(void* easy, int data, int access, void* self);
  static void Unlock(void* easy, int data, void* self);
  void* share_ = nullptr;
  std::array<std::mutex, 16> mutexes_;  // one per curl_lock_data
  std::shared_ptr<TransferCancel> cancel_;
  std::atomic<int64_t> connections_{0}, tls_handshakes_{0}, tls_resumed_{0};
};

}  // namespace mano::sync
