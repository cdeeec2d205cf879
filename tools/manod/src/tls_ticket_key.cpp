#include "tls_ticket_key.h"

#include <gnutls/gnutls.h>

#include <stdexcept>

namespace mano::manod {

struct TlsTicketKey::Key {
  gnutls_datum_t datum{nullptr, 0};
  ~Key() {
    if (datum.data) {
      gnutls_memset(datum.data, 0, datum.size);
      gnutls_free(datum.data);
    }
  }
};

TlsTicketKey::TlsTicketKey() : key_(std::make_unique<Key>()) {
  if (gnutls_session_ticket_key_generate(&key_->datum) != GNUTLS_E_SUCCESS) {
    throw std::runtime_error("GnuTLS could not make a session ticket key");
  }
}

TlsTicketKey::~TlsTicketKey() = default;

bool TlsTicketKey::Enable(void* gnutls_session) const {
  if (!gnutls_session) return false;
  return gnutls_session_ticket_enable_server(static_cast<gnutls_session_t>(gnutls_session),
                                             &key_->datum) == GNUTLS_E_SUCCESS;
}

}  // namespace mano::manod
