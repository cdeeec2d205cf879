# Unit tests of the protocol half of mano::sync (one file per class).
foreach(t json_util answer validate messages codec receipt_signer receipt_batch crypto_util task_spec
    presets csv_cell sync_exchange)
  mano_add_test(NAME ${t}_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/${t}_test.cpp
                LIBS mano::sync LABELS unit TIMEOUT 60)
endforeach()
# The published vectors (docs/vectors/canonical-json.json) against the C++ implementation.
mano_add_test(NAME jcs_vectors_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/jcs_vectors_test.cpp
              LIBS mano::sync LABELS unit TIMEOUT 60)
