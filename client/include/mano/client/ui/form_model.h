// FormModel: the state of one task form being answered, independent of any terminal. One
// generic model for every field type of form.h: single/multi choice (digits pick options,
// Up/Down move, Space toggles), scale (a digit sets the value, Left/Right step), text and
// number (a TextEdit; a text of more than kMultiLineFrom characters is multi-line and takes
// Enter as a new line), boxes (a BoxEditor). The focus moves with Tab / Shift-Tab.
// HandleKey takes field-level keys only (the screen's key table handles submit, undo...).
//
// The draft is the Answer (answer.h) built from the fields; Position() is the opaque
// ui_position stored with each checkpoint ({"field":"name","cursor":N,"box":N}) so the
// worker comes back to the same field and cursor after a crash.
// Pure value type; not thread-safe (one owner: the UI thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/client/ui/box_editor.h"
#include "mano/client/ui/keys.h"
#include "mano/client/ui/text_edit.h"
#include "mano/sync/answer.h"
#include "mano/sync/form.h"
#include "mano/sync/validate.h"

namespace mano::client::ui {

struct FieldState {
  sync::Field field;
  int selected = -1;          // single: option index
  std::vector<bool> checked;  // multi: one per option
  std::optional<int64_t> scale;
  TextEdit text;  // text and number
  BoxEditor boxes;
  int highlight = 0;  // single/multi: option under the cursor

  bool IsTextual() const {
    return field.type == sync::FieldType::kText || field.type == sync::FieldType::kNumber;
  }
};

class FormModel {
 public:
  explicit FormModel(sync::Form form);

  const sync::Form& form() const { return form_; }
  const std::vector<FieldState>& fields() const { return fields_; }
  int focus() const { return focus_; }
  const FieldState* focused() const;
  // True when the focused field takes typed characters (text, number).
  bool FocusIsText() const;
  // True when the focused field is a multi-line text (Enter there is a new line).
  bool FocusIsMultiLine() const;
  // The focused box field is taking typed coordinates: Enter, Escape and letters are its.
  bool FocusCapturesKeys() const;
  // The picture under a box field's boxes (field index; other fields are left alone).
  void SetBoxPicture(int field, Picture picture);
  // Text fields allowing more than this many characters are multi-line.
  static constexpr int64_t kMultiLineFrom = 300;

  bool NextField();  // wraps around
  bool PrevField();
  void Focus(int index);  // clamped

  struct Result {
    bool handled = false;  // the key meant something here
    bool changed = false;  // the answer changed (draft must be saved)
  };
  Result HandleKey(const Key& key);
  // Typed text (a paste or one character) into the focused text field.
  Result InsertText(std::string_view utf8);

  sync::Answer ToAnswer() const;
  void Load(const sync::Answer& answer);  // values of unknown fields are ignored
  std::string Position() const;
  void RestorePosition(std::string_view position);  // bad input is ignored
  std::vector<sync::ValidationError> Validate() const;
  // The field a validation path ("name", "boxes[2].l") points into; -1 when none.
  int FieldIndexOf(std::string_view path) const;

 private:
  Result ChoiceKey(FieldState& f, const Key& key);
  Result ScaleKey(FieldState& f, const Key& key);
  Result TextKey(FieldState& f, const Key& key);
  Result BoxesKey(FieldState& f, const Key& key);

  sync::Form form_;
  std::vector<FieldState> fields_;
  int focus_ = 0;
};

}  // namespace mano::client::ui
