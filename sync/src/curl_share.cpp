#include "mano/sync/curl_share.h"

#include <curl/curl.h>

namespace mano::sync {

namespace {

std::mutex* MutexFor(std::array<std::mutex, 16>& mutexes, int data) {
  return data >= 0 && data < static_cast<int>(mutexes.size()) ? &mutexes[data] : &mutexes[0];
}

}  // namespace

CurlShare::CurlShare(std::shared_ptr<TransferCancel> cancel) : cancel_(std::move(cancel)) {
  GlobalInit();
  CURLSH* share = curl_share_init();
  if (!share) return;
  auto lock = [](CURL* easy, curl_lock_data data, curl_lock_access access, void* self) {
    Lock(easy, data, access, self);
  };
  auto unlock = [](CURL* easy, curl_lock_data data, void* self) { Unlock(easy, data, self); };
  curl_lock_function lock_fn = lock;
  curl_unlock_function unlock_fn = unlock;
  curl_share_setopt(share, CURLSHOPT_LOCKFUNC, lock_fn);
  curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, unlock_fn);
  curl_share_setopt(share, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  share_ = share;
}

void CurlShare::GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlShare::~CurlShare() {
  if (share_) curl_share_cleanup(static_cast<CURLSH*>(share_));
}

void CurlShare::Lock(void*, int data, int, void* self) {
  MutexFor(static_cast<CurlShare*>(self)->mutexes_, data)->lock();
}

void CurlShare::Unlock(void*, int data, void* self) {
  MutexFor(static_cast<CurlShare*>(self)->mutexes_, data)->unlock();
}

}  // namespace mano::sync
