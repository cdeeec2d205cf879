#pragma once

// Small socket helpers for flakynet: loopback addresses, listeners, non-blocking
// connects, abortive close. Functions that set up sockets throw std::system_error with
// the failing call's name; per-connection helpers return errno-style results instead,
// because a peer going away is normal for a fault proxy.

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "mano/sync/unique_fd.h"

namespace mano::flakynet {

// Parses "HOST:PORT" (an IPv4 address, or "localhost"). Throws std::invalid_argument.
sockaddr_in ParseEndpoint(std::string_view text);
std::string FormatEndpoint(const sockaddr_in& addr);

// A non-blocking, close-on-exec TCP listener bound to `addr` (port 0 = any free port).
sync::UniqueFd ListenTcp(const sockaddr_in& addr);
// A non-blocking Unix stream listener at `path` (an old socket file there is removed).
sync::UniqueFd ListenUnix(const std::string& path);
// The address a socket is bound to.
sockaddr_in LocalAddress(int fd);

// Starts a non-blocking connect. Returns the socket, or an invalid fd with errno set.
sync::UniqueFd ConnectTcpNonBlocking(const sockaddr_in& addr);
// Accepts one connection as non-blocking; invalid fd (errno set) when none is pending.
sync::UniqueFd AcceptNonBlocking(int listener);

// Pending socket error (SO_ERROR), 0 if none.
int SocketError(int fd);
// Makes the next close() send RST instead of FIN (SO_LINGER with a zero timeout).
void SetAbortiveClose(int fd);
// Bytes written but not yet acknowledged by the peer (SIOCOUTQ); 0 on error.
int UnsentBytes(int fd);

}  // namespace mano::flakynet
