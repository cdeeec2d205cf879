#include "mano/storage/sha256.h"

#include <catch2/catch.hpp>
#include <string>

using mano::storage::Sha256;
using mano::storage::Sha256Hex;

TEST_CASE("Sha256Hex (libsodium) matches the FIPS 180-4 test vectors", "[unit]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256 gives the same digest however the input is split", "[unit]") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>(i * 7);
  for (size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 128u, 299u}) {
    Sha256 a;
    a.Update(std::string_view(text).substr(0, cut));
    a.Update(std::string_view(text).substr(cut));
    Sha256 b;
    b.Update(text);
    CHECK(a.Finish() == b.Finish());
  }
}
