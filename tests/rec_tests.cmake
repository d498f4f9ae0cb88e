# ctest entries of the recommendations work, included from tools/CMakeLists.txt (the tools
# are what they run): the wasm/native parity check (registered in the wasm build, where the
# native build is already done by `make test`).
set(_rec_tests ${CMAKE_CURRENT_LIST_DIR})
if(EMSCRIPTEN)
  # build-wasm -> build, build-rec-wasm -> build-rec.
  string(REGEX REPLACE "-wasm$" "" _native_default "${CMAKE_BINARY_DIR}")
  set(VITRINE_NATIVE_BUILD_DIR "${_native_default}" CACHE PATH
      "Native build whose vitrine-eval the wasm one is compared with")
  add_test(NAME wasm_native_parity
           COMMAND sh ${_rec_tests}/wasm_native_parity.sh
                   ${VITRINE_NATIVE_BUILD_DIR}/tools/vitrine-eval
                   ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:vitrine-eval>
                   ${_rec_tests}/data)
  set_tests_properties(wasm_native_parity PROPERTIES SKIP_RETURN_CODE 77)
endif()
