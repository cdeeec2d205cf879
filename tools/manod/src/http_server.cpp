#include "http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

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
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* map = static_cast<std::map<std::string, std::string>*>(cls);
  (*map)[Lower(key)] = value ? value : "";
  return MHD_YES;
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

}  // namespace

struct HttpServer::Callbacks {
  static MHD_Result Send(MHD_Connection* connection, const RequestState& state,
                         const HttpResponse& reply) {
    MHD_Response* response = MHD_create_response_from_buffer(
        reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response) return MHD_NO;
    for (const auto& [name, value] : reply.headers) {
      MHD_add_response_header(response, name.c_str(), value.c_str());
    }
    MHD_Result rc = MHD_queue_response(connection, static_cast<unsigned>(reply.status), response);
    MHD_destroy_response(response);
    LogLine(state, reply.status, reply.body.size());
    return rc;
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
      std::string length = state->request.Header("content-length");
      if (!length.empty()) {
        char* end = nullptr;
        errno = 0;
        unsigned long long n = std::strtoull(length.c_str(), &end, 10);
        if (errno != 0 || *end != '\0' || n > state->limit) {
          // Refuse before reading a byte of the body; MHD closes the connection after.
          return Send(connection, *state,
                      self->error_reply_(413, "the request body is larger than the limit"));
        }
      }
      return MHD_YES;
    }
    if (*upload_data_size != 0) {
      if (!state->too_large && state->request.body.size() + *upload_data_size <= state->limit) {
        state->request.body.append(upload_data, *upload_data_size);
      } else {
        state->too_large = true;  // drain without storing
        state->request.body.clear();
      }
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (state->too_large) {
      return Send(connection, *state,
                  self->error_reply_(413, "the request body is larger than the limit"));
    }
    HttpResponse reply;
    try {
      reply = self->handler_(state->request);
    } catch (const std::exception& e) {
      reply = self->error_reply_(500, e.what());
    }
    return Send(connection, *state, reply);
  }

  static void Completed(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
    delete static_cast<RequestState*>(*con_cls);
    *con_cls = nullptr;
  }
};

HttpServer::HttpServer(const Options& options, Handler handler, BodyLimit body_limit,
                       ErrorReply error_reply)
    : handler_(std::move(handler)),
      body_limit_(std::move(body_limit)),
      error_reply_(std::move(error_reply)) {
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
  if (tls) flags |= MHD_USE_TLS;
  std::vector<MHD_OptionItem> items = {
      {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&Callbacks::Completed), nullptr},
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
}

}  // namespace mano::manod
