# Unit tests of the engine piece of mano::sync (transport, backoff, batching, budget,
# network watcher, engine). Included by tests/sync/CMakeLists.txt.
mano_add_test(NAME curl_transport_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/curl_transport_test.cpp
  LIBS mano::sync PkgConfig::ZSTD Threads::Threads LABELS unit TIMEOUT 120)
mano_add_test(NAME backoff_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/backoff_test.cpp
  LIBS mano::sync LABELS unit TIMEOUT 60)
mano_add_test(NAME batch_sizer_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/batch_sizer_test.cpp
  LIBS mano::sync LABELS unit TIMEOUT 60)
mano_add_test(NAME data_budget_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/data_budget_test.cpp
  LIBS mano::sync LABELS unit TIMEOUT 60)
mano_add_test(NAME net_watcher_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/net_watcher_test.cpp
  LIBS mano::sync LABELS unit TIMEOUT 60)
mano_add_test(NAME result_builder_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/result_builder_test.cpp
  LIBS mano::sync LABELS unit TIMEOUT 60)
# Not a test: prints the bytes of small batches with and without a zstd dictionary.
add_executable(sync_dict_measure ${CMAKE_CURRENT_LIST_DIR}/dict_measure.cpp)
target_link_libraries(sync_dict_measure PRIVATE mano::sync)
mano_add_test(NAME sync_engine_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/sync_engine_test.cpp
  LIBS mano::sync Threads::Threads LABELS unit TIMEOUT 60)
mano_add_test(NAME assignment_outcome_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/assignment_outcome_test.cpp
  LIBS mano::sync LABELS unit TIMEOUT 60)
