// TlsTicketKey: the key manod seals TLS session tickets with, so that a client coming back on
// a new connection resumes its session (RFC 8446 section 2.2) instead of a full handshake:
// one round trip fewer on a new connection, the cost mano's links feel most.
// libmicrohttpd gives GnuTLS no ticket key of its own, so without this no session resumes.
// The key lives in memory only, made at start: tickets die with the process, which is the
// safe side (a leaked key would open every recorded session sealed with it).
// Thread safety: Enable() may be called from any thread once constructed.
#pragma once

#include <memory>

namespace mano::manod {

class TlsTicketKey {
 public:
  // Generates a fresh key; throws std::runtime_error if GnuTLS cannot.
  TlsTicketKey();
  ~TlsTicketKey();
  TlsTicketKey(const TlsTicketKey&) = delete;
  TlsTicketKey& operator=(const TlsTicketKey&) = delete;

  // Lets the GnuTLS server session (a gnutls_session_t, before its handshake) issue and
  // accept tickets sealed with this key. False if GnuTLS refused.
  bool Enable(void* gnutls_session) const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
};

}  // namespace mano::manod
