#pragma once

// The control protocol's grammar: turns one command line into a call on the Proxy and
// returns the one-line reply ("ok", "ok N", a JSON object, "pong", or "error <why>").
// The commands are listed in README.md. Not thread-safe (runs on the proxy's thread).

#include <string>
#include <string_view>

namespace mano::flakynet {

class Proxy;

std::string RunControlCommand(Proxy& proxy, std::string_view line);

}  // namespace mano::flakynet
