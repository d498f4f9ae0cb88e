// The on-demand autofill module's boundary: a plain C ABI (no Embind, so the module stays
// small and needs no JS glue). JS writes a UTF-8 JSON request into memory from vaf_alloc,
// calls vaf_call, and reads vaf_result_len() bytes at the returned pointer. All logic is
// vitrine::autofill::call (core/src/autofill/api.cpp).
#include <cstddef>
#include <cstdlib>
#include <string>

#include "vitrine/autofill/api.hpp"

namespace {
std::string g_result;  // valid until the next call
}

extern "C" {

void* vaf_alloc(std::size_t size) { return std::malloc(size); }
void vaf_free(void* p) { std::free(p); }

const char* vaf_call(const char* request, std::size_t size) {
  g_result = vitrine::autofill::call(std::string_view(request, size));
  return g_result.data();
}

std::size_t vaf_result_len() { return g_result.size(); }
}
