#include "http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <strings.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "budget_share.h"
#include "connection_reaper.h"
#include "tls_ticket_key.h"

namespace mano::manod {

std::string HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

namespace {

// Per-connection state for one request, freed by the completion callback.
struct RequestState {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  HttpRequest request;
  size_t limit = 0;
  bool too_large = false;
  bool keeps_partial = false;  // the route keeps a cut or overlong body's first bytes
  bool handled = false;        // the handler has seen the request
  BudgetShare budget;
};

// What the framing headers say, before any of the body is read.
struct Framing {
  std::vector<std::string> content_lengths;
  bool transfer_encoding = false;
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Repeated field lines are joined with ", " (RFC 9110 section 5.3), so a list split over
// several lines (If-None-Match, Accept-Encoding) reads as one.
MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  auto [it, added] = map->emplace(Lower(key), value ? value : "");
  if (!added) it->second += std::string(", ") + (value ? value : "");
  return MHD_YES;
}

MHD_Result CollectFraming(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* framing = static_cast<Framing*>(cls);
  if (strcasecmp(key, "content-length") == 0)
    framing->content_lengths.push_back(value ? value : "");
  if (strcasecmp(key, "transfer-encoding") == 0) framing->transfer_encoding = true;
  return MHD_YES;
}

// RFC 9112 section 6.3: a message with both, or with Content-Lengths that differ, cannot be
// framed in one way every reader agrees on (request smuggling behind a proxy).
bool AmbiguousFraming(const Framing& framing) {
  if (framing.transfer_encoding && !framing.content_lengths.empty()) return true;
  for (const auto& length : framing.content_lengths) {
    if (length != framing.content_lengths.front()) return true;
  }
  return false;
}

ConnectionReaper::Connection* ReaperEntry(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info ? static_cast<ConnectionReaper::Connection*>(info->socket_context) : nullptr;
}

MHD_Result CollectQuery(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  (*map)[key] = value ? value : "";
  return MHD_YES;
}

void LogLine(const RequestState& state, int status, size_t bytes) {
  auto ms = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  state.start)
                .count() /
            1000.0;
  // One fprintf per line so concurrent threads never interleave within a line.
  std::fprintf(stderr, "%s %s %d %zu %.1fms\n", state.request.method.c_str(),
               state.request.path.c_str(), status, bytes, ms);
}

// libmicrohttpd's own messages, at most one a second: under a flood of refused or reaped
// connections it writes one line per connection, which would be thousands a second.
void LogLibraryMessage(void*, const char* format, va_list args) {
  static std::mutex mu;
  static std::chrono::steady_clock::time_point last;
  static unsigned long suppressed = 0;
  std::lock_guard<std::mutex> lock(mu);
  auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::seconds(1)) {
    ++suppressed;
    return;
  }
  last = now;
  char line[512];
  std::vsnprintf(line, sizeof line, format, args);
  size_t n = std::strlen(line);
  while (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
  if (suppressed > 0) {
    std::fprintf(stderr, "manod: %s (%lu other messages of libmicrohttpd suppressed before it)\n",
                 line, suppressed);
  } else {
    std::fprintf(stderr, "manod: %s\n", line);
  }
  suppressed = 0;
}

}  // namespace

struct HttpServer::Callbacks {
  // `close`: the body (if any) is not read, so the connection cannot carry another request.
  static MHD_Result Send(MHD_Connection* connection, const RequestState& state,
                         const HttpResponse& reply, bool close = false) {
    MHD_Response* response = MHD_create_response_from_buffer(
        reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response) return MHD_NO;
    for (const auto& [name, value] : reply.headers) {
      MHD_add_response_header(response, name.c_str(), value.c_str());
    }
    if (close) MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_Result rc = MHD_queue_response(connection, static_cast<unsigned>(reply.status), response);
    MHD_destroy_response(response);
    LogLine(state, reply.status, reply.body.size());
    return rc;
  }

  // The first call of a request: only the headers are known. A reply here closes the
  // connection without reading the body.
  static MHD_Result Begin(HttpServer* self, MHD_Connection* connection, RequestState* state) {
    ConnectionReaper::Connection* entry = ReaperEntry(connection);
    if (self->reaper_ && entry) self->reaper_->HeadersDone(entry);
    auto refuse = [&](const HttpResponse& reply) {
      if (self->reaper_ && entry) self->reaper_->Answering(entry);
      return Send(connection, *state, reply, true);
    };
    Framing framing;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, CollectFraming, &framing);
    if (AmbiguousFraming(framing)) {
      return refuse(self->error_reply_(
          400, "a request may carry one Content-Length or Transfer-Encoding, not both or two"));
    }
    if (self->header_check_) {
      std::optional<HttpResponse> refusal;
      try {
        refusal = self->header_check_(state->request);
      } catch (const std::exception& e) {
        refusal = self->error_reply_(500, e.what());
      }
      if (refusal) return refuse(*refusal);
    }
    if (self->keeps_partial_) {
      try {
        state->keeps_partial = self->keeps_partial_(state->request);
      } catch (const std::exception& e) {
        return refuse(self->error_reply_(500, e.what()));
      }
    }
    size_t reserve = 0;
    if (!framing.content_lengths.empty()) {
      const std::string& length = framing.content_lengths.front();
      char* end = nullptr;
      errno = 0;
      unsigned long long n = std::strtoull(length.c_str(), &end, 10);
      if (errno != 0 || *end != '\0' || (n > state->limit && !state->keeps_partial)) {
        return refuse(self->error_reply_(413, "the request body is larger than the limit"));
      }
      reserve = static_cast<size_t>(std::min<unsigned long long>(n, state->limit));
    } else if (framing.transfer_encoding) {
      reserve = state->limit;  // chunked: its size is known only at the end
    }
    if (reserve > 0) {
      if (!state->budget.Take(&self->body_in_flight_, self->options_.body_budget, reserve)) {
        HttpResponse busy = self->error_reply_(503, "the server is busy; retry later");
        busy.headers.emplace_back("Retry-After", "1");
        return refuse(busy);
      }
      state->request.body.reserve(reserve);
    }
    return MHD_YES;
  }

  static MHD_Result Access(void* cls, MHD_Connection* connection, const char* url,
                           const char* method, const char*, const char* upload_data,
                           size_t* upload_data_size, void** con_cls) {
    auto* self = static_cast<HttpServer*>(cls);
    auto* state = static_cast<RequestState*>(*con_cls);
    if (!state) {
      auto owned = std::make_unique<RequestState>();
      owned->request.method = method;
      owned->request.path = url;
      MHD_get_connection_values(connection, MHD_HEADER_KIND, CollectHeader,
                                &owned->request.headers);
      MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, CollectQuery,
                                &owned->request.query);
      owned->limit = self->body_limit_(owned->request.method, owned->request.path);
      state = owned.release();
      *con_cls = state;
      return Begin(self, connection, state);
    }
    ConnectionReaper::Connection* entry = ReaperEntry(connection);
    if (state->handled) {  // answered at the route's limit: the rest is not wanted
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (*upload_data_size != 0) {
      if (self->reaper_ && entry) self->reaper_->BodyBytes(entry, *upload_data_size);
      if (state->keeps_partial && state->request.body.size() + *upload_data_size > state->limit) {
        // Keep what fits, answer for it and stop reading: the connection closes after the reply.
        state->request.body.append(upload_data, state->limit - state->request.body.size());
        state->request.partial = true;
        *upload_data_size = 0;
        if (self->reaper_ && entry) self->reaper_->Answering(entry);
        state->handled = true;
        HttpResponse reply = Handle(self, state->request);
        if (Send(connection, *state, reply, true) == MHD_YES) return MHD_YES;
        return MHD_NO;  // this libmicrohttpd cannot answer mid-body: close; the bytes are kept
      }
      if (!state->too_large && state->request.body.size() + *upload_data_size <= state->limit) {
        state->request.body.append(upload_data, *upload_data_size);
      } else {
        state->too_large = true;  // drain without storing
        std::string().swap(state->request.body);
      }
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (self->reaper_ && entry) self->reaper_->Answering(entry);
    if (state->too_large) {
      return Send(connection, *state,
                  self->error_reply_(413, "the request body is larger than the limit"));
    }
    state->handled = true;
    return Send(connection, *state, Handle(self, state->request));
  }

  static HttpResponse Handle(HttpServer* self, const HttpRequest& request) {
    try {
      return self->handler_(request);
    } catch (const std::exception& e) {
      return self->error_reply_(500, e.what());
    }
  }

  static void Completed(void* cls, MHD_Connection* connection, void** con_cls,
                        MHD_RequestTerminationCode code) {
    auto* self = static_cast<HttpServer*>(cls);
    auto* state = static_cast<RequestState*>(*con_cls);
    // A body cut before its end, on a route that keeps such bytes: hand them over now (the
    // reply has nobody to go to).
    if (state && state->keeps_partial && !state->handled && !state->request.body.empty() &&
        code != MHD_REQUEST_TERMINATED_COMPLETED_OK) {
      state->handled = true;
      state->request.partial = true;
      HttpResponse reply = Handle(self, state->request);
      LogLine(*state, reply.status, 0);
    }
    delete state;
    *con_cls = nullptr;
    ConnectionReaper::Connection* entry = ReaperEntry(connection);
    if (self->reaper_ && entry) self->reaper_->ReplySent(entry);
  }

  static void Notify(void* cls, MHD_Connection* connection, void** socket_context,
                     MHD_ConnectionNotificationCode code) {
    auto* self = static_cast<HttpServer*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED && self->tickets_) {
      // Called before the TLS handshake: the session may still be given the ticket key.
      const MHD_ConnectionInfo* tls =
          MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
      if (tls) self->tickets_->Enable(tls->tls_session);
    }
    if (!self->reaper_) return;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      const MHD_ConnectionInfo* info =
          MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      *socket_context = info ? self->reaper_->Opened(info->connect_fd) : nullptr;
    } else if (*socket_context) {
      self->reaper_->Closed(static_cast<ConnectionReaper::Connection*>(*socket_context));
      *socket_context = nullptr;
    }
  }
};

HttpServer::HttpServer(const Options& options, Handler handler, HeaderCheck header_check,
                       BodyLimit body_limit, ErrorReply error_reply, KeepsPartial keeps_partial)
    : options_(options),
      handler_(std::move(handler)),
      header_check_(std::move(header_check)),
      body_limit_(std::move(body_limit)),
      error_reply_(std::move(error_reply)),
      keeps_partial_(std::move(keeps_partial)) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(options.port);
  if (getaddrinfo(options.host.c_str(), port.c_str(), &hints, &found) != 0 || !found) {
    throw std::runtime_error("cannot resolve listen address " + options.host);
  }
  sockaddr_storage addr{};
  std::memcpy(&addr, found->ai_addr, found->ai_addrlen);
  bool ipv6 = found->ai_family == AF_INET6;
  freeaddrinfo(found);

  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
  if (ipv6) flags |= MHD_USE_IPv6;
  bool tls = !options.cert_pem.empty() && !options.key_pem.empty();
  if (tls) {
    flags |= MHD_USE_TLS;
    tickets_ = std::make_unique<TlsTicketKey>();
  }
  ConnectionReaper::Rules rules;
  rules.header_timeout = std::chrono::seconds(options.header_timeout_seconds);
  rules.body_min_rate = options.body_min_rate;
  rules.body_grace = std::chrono::seconds(options.body_grace_seconds);
  // A tenth of the connections kept for clients that send their headers at once.
  rules.pressure_connections = options.connection_limit - options.connection_limit / 10;
  if (options.header_timeout_seconds == 0) rules.header_timeout = std::chrono::hours(24 * 365);
  reaper_ = std::make_unique<ConnectionReaper>(rules);
  std::vector<MHD_OptionItem> items = {
      // First, so that libmicrohttpd prints nothing through its own logger.
      {MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&LogLibraryMessage), nullptr},
      {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&Callbacks::Completed), this},
      {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&Callbacks::Notify), this},
      {MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<intptr_t>(options.per_address_limit),
       nullptr},
      {MHD_OPTION_SOCK_ADDR, 0, &addr},
      {MHD_OPTION_CONNECTION_LIMIT, static_cast<intptr_t>(options.connection_limit), nullptr},
      {MHD_OPTION_CONNECTION_TIMEOUT, static_cast<intptr_t>(options.timeout_seconds), nullptr},
      {MHD_OPTION_THREAD_POOL_SIZE, static_cast<intptr_t>(std::max(1u, options.threads)), nullptr},
      // Headers of a request must fit here; bodies are copied out as they arrive.
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, nullptr},
  };
  if (tls) {
    items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(options.key_pem.c_str())});
    items.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(options.cert_pem.c_str())});
  }
  items.push_back({MHD_OPTION_END, 0, nullptr});
  daemon_ = MHD_start_daemon(flags, options.port, nullptr, nullptr, &Callbacks::Access, this,
                             MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
  if (!daemon_) {
    throw std::runtime_error("cannot listen on " + options.host + ":" + port +
                             " (address in use, or bad TLS key/certificate)");
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info ? info->port : options.port;
}

HttpServer::~HttpServer() {
  if (daemon_) MHD_stop_daemon(daemon_);
  reaper_.reset();  // after the daemon: its last connections tell the reaper they closed
}

size_t HttpServer::reaped() const { return reaper_ ? reaper_->reaped() : 0; }

}  // namespace mano::manod
