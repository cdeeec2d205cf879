#pragma once
namespace mano::client {
int RunCli(int argc, char** argv);
}
