// The worker's words for sync's codes (sync_text.h): validation problems and a pass's notes
// come out as sentences in the chosen language, from codes and values, not from English.
#include "mano/client/state_text.h"
#include "mano/client/sync_text.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "built_language.h"
#include "mano/client/i18n.h"

using namespace mano;
using mano::client::ReportNoteText;
using mano::client::ValidationSummary;
using mano::client::ValidationText;

namespace {

sync::ValidationError Problem(const char* field, sync::ValidationCode code,
                              std::vector<std::string> args) {
  return {field, "English text the worker never sees", code, std::move(args)};
}

}  // namespace

TEST_CASE("sync text: validation problems in Spanish, plural forms included", "[i18n]") {
  mano::test::BuiltLanguage spanish("es");
  using C = sync::ValidationCode;
  CHECK(ValidationText(Problem("score", C::kAboveMax, {"4"})) == "debe ser como máximo 4");
  CHECK(ValidationText(Problem("many", C::kTooManyOptions, {"1"})) == "elija como máximo 1 opción");
  CHECK(ValidationText(Problem("many", C::kTooManyOptions, {"2"})) ==
        "elija como máximo 2 opciones");
  CHECK(ValidationText(Problem("note", C::kTextTooLong, {"6", "5"})) ==
        "tiene 6 caracteres; el límite es 5");
  CHECK(ValidationText(Problem("one", C::kNotAnOption, {"c"})) == "«c» no es una de las opciones");
  CHECK(ValidationSummary({Problem("one", C::kRequired, {}),
                           Problem("boxes[0]", C::kOutsideImage, {"64", "48"})}) ==
        "one: es obligatorio; boxes[0]: queda fuera de la imagen (64x48)");
  CHECK(client::StateName("in_progress") == "en curso");
  CHECK(client::StateName("some_future_state") == "some_future_state");
  CHECK(client::KindText("transcription") == "transcripción");
  CHECK(client::FieldTypeText(sync::FieldType::kMulti) == "opción múltiple");
}

TEST_CASE("sync text: a pass's notes in French and Arabic, never sync's English", "[i18n]") {
  mano::test::BuiltLanguage french("fr");
  auto refused = sync::ReportNote::Of(sync::ReportCode::kResultRefused,
                                      {"t-17:1", "late_refused", "after the deadline"});
  CHECK(ReportNoteText(refused) ==
        "Le serveur a refusé t-17:1 (late_refused) : after the deadline.");
  sync::ReportNote offline =
      sync::ReportNote::FromError(sync::SyncError(sync::SyncErrorKind::kOffline, "connect failed"));
  CHECK(ReportNoteText(offline) == "Le serveur est injoignable.");
  client::InitLanguage("ar", french.locale_dir());
  auto batch = sync::ReportNote::Of(sync::ReportCode::kBatchBadSignature, {"2"});
  CHECK(ReportNoteText(batch) ==
        "إيصالا الخادم لنتيجتين (2) يحملان توقيعا غير صالح؛ تبقيان في الطابور.");
  french.Restore();  // untranslated
  CHECK(ReportNoteText(batch) ==
        "The server's receipts for 2 results have a bad signature; they stay queued.");
}
