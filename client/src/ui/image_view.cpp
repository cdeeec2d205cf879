#include "mano/client/ui/image_view.h"

#include <chafa.h>

#include <algorithm>
#include <memory>

#include "mano/client/ui/utf8_text.h"

namespace mano::client::ui {
namespace {

struct ChafaFree {
  void operator()(ChafaSymbolMap* p) const { chafa_symbol_map_unref(p); }
  void operator()(ChafaCanvasConfig* p) const { chafa_canvas_config_unref(p); }
  void operator()(ChafaCanvas* p) const { chafa_canvas_unref(p); }
};

}  // namespace

Picture RenderPicture(const Image& image, int max_cols, int max_rows) {
  Picture out;
  if (image.width <= 0 || image.height <= 0 || max_cols <= 0 || max_rows <= 0 ||
      image.rgba.size() != static_cast<size_t>(image.width * image.height * 4)) {
    return out;
  }
  gint cols = max_cols, rows = max_rows;
  chafa_calc_canvas_geometry(static_cast<gint>(image.width), static_cast<gint>(image.height), &cols,
                             &rows, 0.5f, TRUE, FALSE);
  cols = std::clamp<gint>(cols, 1, max_cols);
  rows = std::clamp<gint>(rows, 1, max_rows);
  std::unique_ptr<ChafaSymbolMap, ChafaFree> map(chafa_symbol_map_new());
  chafa_symbol_map_add_by_tags(
      map.get(), static_cast<ChafaSymbolTags>(CHAFA_SYMBOL_TAG_SPACE | CHAFA_SYMBOL_TAG_SOLID |
                                              CHAFA_SYMBOL_TAG_HALF | CHAFA_SYMBOL_TAG_STIPPLE));
  std::unique_ptr<ChafaCanvasConfig, ChafaFree> config(chafa_canvas_config_new());
  chafa_canvas_config_set_canvas_mode(config.get(), CHAFA_CANVAS_MODE_FGBG);
  chafa_canvas_config_set_geometry(config.get(), cols, rows);
  chafa_canvas_config_set_symbol_map(config.get(), map.get());
  chafa_canvas_config_set_dither_mode(config.get(), CHAFA_DITHER_MODE_NONE);
  std::unique_ptr<ChafaCanvas, ChafaFree> canvas(chafa_canvas_new(config.get()));
  chafa_canvas_draw_all_pixels(canvas.get(), CHAFA_PIXEL_RGBA8_UNASSOCIATED, image.rgba.data(),
                               static_cast<gint>(image.width), static_cast<gint>(image.height),
                               static_cast<gint>(image.width * 4));
  out.cols = cols;
  out.rows = rows;
  out.cells.assign(static_cast<size_t>(rows), std::vector<std::string>(cols, " "));
  for (gint y = 0; y < rows; ++y) {
    for (gint x = 0; x < cols; ++x) {
      gunichar c = chafa_canvas_get_char_at(canvas.get(), x, y);
      out.cells[y][x] = EncodeUtf8(std::u32string(1, static_cast<char32_t>(c)));
    }
  }
  return out;
}

}  // namespace mano::client::ui
