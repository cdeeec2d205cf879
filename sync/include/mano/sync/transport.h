// Transport: sends one HTTP request to one server and returns the reply. The seam
// between the sync engine and the network: CurlTransport ships, unit tests of the engine
// may provide their own. One Transport talks to one server (one base URL, one token).
//
// Contract: Send never throws for link trouble; it returns an HttpResponse whose outcome
// says what happened, with the bytes moved counted either way. The token is never part of
// HttpResponse::error or anything the transport logs.
// Thread safety: a Transport is used from one thread at a time.
#pragma once

#include "mano/sync/http_request.h"

namespace mano::sync {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual HttpResponse Send(const HttpRequest& request) = 0;
};

}  // namespace mano::sync
