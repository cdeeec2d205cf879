# The terminal UI (issue 5): library mano_ui, linked into mano_client. The pure models
# (text editing, forms, box editor, autosave, layout) build without curses; exactly one
# file, src/ui/curses_terminal.cpp, includes the curses header.
add_library(mano_ui STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/text_edit.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/box_editor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/image_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/image_view.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/form_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/autosave.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/canvas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/ui_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/status_line.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/media_opener.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/audio_duration.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/clip_player.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/spawn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/task_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/review_layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/queue_screen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/task_screen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/task_screen_media.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/task_lock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/help_screen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/ledger_screen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/resume.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/screen_manager.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/background_sync.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/curses_terminal.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/ui/terminal_ui.cpp
)
add_library(mano::ui ALIAS mano_ui)
target_include_directories(mano_ui PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
target_include_directories(mano_ui PRIVATE ${CURSES_INCLUDE_DIRS})
target_link_libraries(mano_ui PUBLIC mano_client_base mano::sync mano::storage Threads::Threads
  PRIVATE ${CURSES_LIBRARIES})
mano_warnings(mano_ui)
# Pictures in the terminal (issue 16): chafa draws, libpng and libjpeg-turbo decode.
pkg_check_modules(CHAFA REQUIRED IMPORTED_TARGET chafa)
pkg_check_modules(LIBPNG REQUIRED IMPORTED_TARGET libpng)
pkg_check_modules(LIBJPEG REQUIRED IMPORTED_TARGET libjpeg)
target_link_libraries(mano_ui PRIVATE PkgConfig::CHAFA PkgConfig::LIBPNG PkgConfig::LIBJPEG)
target_link_libraries(mano_client PUBLIC mano_ui)

# The UI's own translations: text domain "mano-ui", next to the command line's "mano", in
# the same languages (mano_catalogs is defined in client/CMakeLists.txt).
mano_catalogs(mano_ui_translations mano-ui ${CMAKE_CURRENT_LIST_DIR}/src/ui/po ${MANO_LANGUAGES})
add_dependencies(mano mano_ui_translations)
