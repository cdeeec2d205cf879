# Protocol half of mano::sync: error type, wire messages, forms, validation, codec, signing.
target_sources(mano_sync PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/sync_error.cpp
)
