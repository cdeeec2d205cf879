#include "mano/sync/crypto_util.h"

#include <catch2/catch.hpp>

#include "mano/sync/sync_error.h"

using namespace mano::sync;

TEST_CASE("sha256 of known inputs") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256("abc").size() == 32);
}

TEST_CASE("base64 variants round trip and refuse garbage") {
  std::string bytes("\x00\xff\x10 hello\xfe", 10);
  CHECK(Base64Decode(Base64Encode(bytes)) == bytes);
  CHECK(Base64UrlDecode(Base64UrlEncode(bytes)) == bytes);
  CHECK(Base64Encode("hi") == "aGk=");
  CHECK(Base64UrlEncode("\xfb\xff") == "-_8");
  CHECK_THROWS_AS(Base64Decode("a$b="), SyncError);
  CHECK_THROWS_AS(Base64Decode("aGk=trailing!"), SyncError);
}

TEST_CASE("hex round trip") {
  CHECK(HexEncode("\x01\xab") == "01ab");
  CHECK(HexDecode("01AB") == "\x01\xab");
  CHECK_THROWS_AS(HexDecode("abc"), SyncError);
  CHECK_THROWS_AS(HexDecode("zz"), SyncError);
}

TEST_CASE("tokens are 43 base64url characters and differ") {
  std::string a = NewToken(), b = NewToken();
  CHECK(a.size() == 43);
  CHECK(a != b);
  CHECK(Base64UrlDecode(a).size() == 32);
  CHECK(ConstantTimeEquals(a, a));
  CHECK_FALSE(ConstantTimeEquals(a, b));
  CHECK_FALSE(ConstantTimeEquals("ab", "abc"));
}
